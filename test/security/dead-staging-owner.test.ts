import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {attackerIds, ensureAttacker, isRoot} from '../support/catalog-safety.js';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A backup to `<name>.zip` clears the dead leftovers of earlier runs to that zip (`<name>.XXXX.temp`,
 * `<name>.zip.XXXX.partial`). In a shared folder another user's folder of that name, with a
 * crx-quickstart and a marker naming a dead process, was deleted by root too: it is theirs.
 */
describe.skipIf(!isRoot())('a backup into a shared folder', () => {
	test('leaves another user\'s folder and file named as its own leftovers would be', async () => {
		ensureAttacker();
		const {uid, gid} = attackerIds();
		const root = faultDir();
		const {install} = makeInstall(root, {live: false});
		const shared = path.join(root, 'shared');
		fs.mkdirSync(shared);
		fs.chmodSync(shared, 0o1777);
		const target = path.join(shared, 'nightly.zip');
		const theirs = path.join(shared, 'nightly.beef.temp');
		const partial = path.join(shared, 'nightly.zip.beef.partial');
		fs.mkdirSync(path.join(theirs, 'crx-quickstart', 'repository'), {recursive: true});
		fs.writeFileSync(path.join(theirs, 'crx-quickstart', 'repository', 'their-data.tar'), 'another user\'s');
		fs.writeFileSync(path.join(theirs, '.crx-backup-staging.json'), `${JSON.stringify({pid: 999_999_999, startedAt: '2026-10-01T00:00:00Z', target})}\n`); // A process long gone.
		fs.writeFileSync(partial, 'their bytes');
		for (const file of [theirs, path.join(theirs, 'crx-quickstart'), path.join(theirs, 'crx-quickstart', 'repository'), path.join(theirs, 'crx-quickstart', 'repository', 'their-data.tar'), path.join(theirs, '.crx-backup-staging.json'), partial]) fs.chownSync(file, uid, gid);
		const before = treeDigest(theirs);

		const made = await runCli(['backup', '--repo', install, '--target', target], {env: {...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: '2026-10-02T02:00:00Z'}});
		expect(made.code, made.stderr).toBe(0);
		expect(fs.existsSync(target)).toBe(true);
		expect(treeDigest(theirs)).toEqual(before);
		expect(fs.readFileSync(partial, 'utf8')).toBe('their bytes');
	});
});
