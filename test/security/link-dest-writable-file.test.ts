import fs from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {settle} from '../support/link-dest.js';
import {localUser, shAs, type LocalUser} from '../support/local-user.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * A previous backup's file that others may write is not this user's to vouch
 * for, even when it is the very inode the backup wrote: another user can change
 * its bytes in place (same size), and --link-dest, which takes its CRC from the
 * manifest for such an inode, would link their bytes into the new backup under
 * the source's CRC. It is copied from the source instead.
 */
const user = localUser();
const skip = typeof user === 'string' ? user : undefined;
const made: string[] = [];
afterAll(() => {
	for (const dir of made) fs.rmSync(dir, {recursive: true, force: true});
});

describe.skipIf(skip !== undefined)(skip ?? '--link-dest and a previous file others may write', () => {
	test('a file of the previous backup another user rewrote in place is copied from the source, not linked', async () => {
		const attacker = user as LocalUser;
		const root = fs.realpathSync(tempDir('crx-link-writable-'));
		made.push(root);
		fs.chmodSync(root, 0o755);
		const env = {CRX_BACKUP_STATE_DIR: path.join(root, 'state')};
		const {install, quickstart} = makeInstall(root, {live: false});
		fs.writeFileSync(path.join(quickstart, 'conf/target.txt'), 'original-content');
		await settle(); // Files changed within the last moments are copied, never linked: let this one settle.
		const previous = path.join(root, 'b1');
		expect((await runCli(['backup', '--repo', install, '--target', previous], {env})).code).toBe(0);
		// Someone opened the previous backup up (chmod -R a+rwX, say): the folders stay unwritable by others.
		for (const dir of ['', 'crx-quickstart', 'crx-quickstart/conf']) fs.chmodSync(path.join(previous, dir), 0o755);
		const planted = path.join(previous, 'crx-quickstart/conf/target.txt');
		fs.chmodSync(planted, 0o666);
		shAs(attacker, `printf 'tampered-conten!' > '${planted}'`);
		expect(fs.readFileSync(planted, 'utf8')).toBe('tampered-conten!');

		const next = path.join(root, 'b2');
		const result = await runCli(['backup', '--repo', install, '--target', next, '--link-dest', previous], {env});
		expect(result.code, result.stderr).toBe(0);
		expect(fs.readFileSync(path.join(next, 'crx-quickstart/conf/target.txt'), 'utf8')).toBe('original-content');
		expect(fs.statSync(path.join(next, 'crx-quickstart/conf/target.txt')).ino).not.toBe(fs.statSync(planted).ino);
	}, 60_000);
});
