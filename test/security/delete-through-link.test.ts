import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {attackerIds, ensureAttacker, isRoot} from '../support/catalog-safety.js';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A path to a backup that passes through a link another user owns (in a shared sticky folder) leads
 * where they say, and they may repoint it between delete's checks (the proof, AEM's use, which take
 * a while) and the removal: root then removed whatever has the backup's name in the folder they chose.
 * The folder is checked where the path really leads, as a backup target is, and such a path refused.
 */
describe.skipIf(!isRoot())('delete, prune and adopt through a link another user owns', () => {
	test('are refused, and the backup it leads to stays', async () => {
		ensureAttacker();
		const {uid, gid} = attackerIds();
		const root = faultDir();
		const {install} = makeInstall(root, {live: false});
		const real = path.join(root, 'real');
		fs.mkdirSync(real, {mode: 0o755});
		const shared = path.join(root, 'shared');
		fs.mkdirSync(shared);
		fs.chmodSync(shared, 0o1777);
		const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
		for (const [day, name] of [['01', 'd01'], ['02', 'd02']] as const) {
			const made = await runCli(['backup', '--repo', install, '--target', path.join(real, name)], {env: env(`2026-10-${day}T02:00:00Z`)});
			expect(made.code, made.stderr).toBe(0);
		}
		const link = path.join(shared, 'lnk');
		fs.symlinkSync(real, link);
		fs.lchownSync(link, uid, gid);
		const before = treeDigest(path.join(real, 'd01'));

		const deleted = await runCli(['delete', path.join(link, 'd01'), '--yes'], {env: env('2026-10-02T03:00:00Z')});
		expect(deleted.code).toBe(2);
		expect(deleted.stderr).toMatch(/^crx-backup: .*lnk is a link owned by another user \(uid \d+\), who could redirect the delete of d01: use a path of your own\.\n$/);
		const adopted = await runCli(['adopt', path.join(link, 'd01')], {env: env('2026-10-02T03:00:00Z')});
		expect(adopted.code).toBe(2);
		expect(adopted.stderr).toMatch(/lnk is a link owned by another user .*who could redirect adopting d01/);
		const pruned = await runCli(['prune', '--repo', install, '--dir', link, '--keep-last', '1'], {env: env('2026-10-02T03:00:00Z')});
		expect(pruned.code).toBe(1);
		expect(treeDigest(path.join(real, 'd01'))).toEqual(before);
		expect(fs.existsSync(path.join(real, 'd01', '.crx-backup-deleting.json'))).toBe(false);
	});
});
