import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {attackerIds, ensureAttacker, isRoot} from '../support/catalog-safety.js';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A made/ record outlives a backup the operator removes by hand, and the file
 * system gives the freed inode to the next file made in the folder: another user
 * of a shared folder reads our backup's size and mtime with `stat`, makes files
 * until one gets its inode, names it as ours was and sets that size and mtime.
 * Device, inode, size and mtime then all match the record. The test gives our own
 * backups to the other user with chown (inode, size and mtime kept), which is the
 * state that attack reaches without depending on how the file system reuses inodes.
 */
describe.skipIf(!isRoot())('a backup crx-backup recorded that is now another user\'s', () => {
	test('is left by prune and refused by delete, whatever its record says', async () => {
		ensureAttacker();
		const {uid, gid} = attackerIds();
		const root = faultDir();
		const {install} = makeInstall(root, {live: false});
		const shared = path.join(root, 'shared');
		fs.mkdirSync(shared);
		fs.chmodSync(shared, 0o1777);
		const at = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
		for (const [day, name] of [['01', 'n1.zip'], ['02', 'n2'], ['03', 'n3.zip']] as const) {
			const made = await runCli(['backup', '--repo', install, '--target', path.join(shared, name)], {env: at(`2026-10-${day}T02:00:00Z`)});
			expect(made.code, made.stderr).toBe(0);
		}
		const zip = path.join(shared, 'n1.zip');
		const folder = path.join(shared, 'n2');
		execFileSync('chown', ['-R', `${uid}:${gid}`, zip, folder]);
		const before = {zip: fs.readFileSync(zip), folder: treeDigest(folder)};

		const pruned = await runCli(['prune', '--repo', install, '--dir', shared, '--keep-last', '1'], {env: at('2026-10-03T03:00:00Z')});
		expect(pruned.code, pruned.stderr).toBe(0);
		expect(pruned.stdout).toMatch(/^leave {3}n1\.zip {2}\(crx-backup cannot prove it wrote it: it belongs to another user \(uid \d+\)/m);
		expect(pruned.stdout).toMatch(/^leave {3}n2 {2}\(crx-backup cannot prove it wrote it: it belongs to another user/m);
		expect(fs.readFileSync(zip).equals(before.zip)).toBe(true);
		expect(treeDigest(folder)).toEqual(before.folder);

		for (const target of [zip, folder]) {
			const deleted = await runCli(['delete', target, '--yes', '--repo', install, '--dir', shared], {env: at('2026-10-03T03:00:00Z')});
			expect(deleted.code).toBe(2);
			expect(deleted.stderr).toMatch(/^crx-backup: Refusing to delete .*: crx-backup cannot prove it wrote it: it belongs to another user/);
		}
		expect(fs.readFileSync(zip).equals(before.zip)).toBe(true);
		expect(treeDigest(folder)).toEqual(before.folder);
	});
});
