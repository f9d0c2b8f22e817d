import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

test('a nightly run refused because its backup folder is gone is a failed run: recorded, --on-failure runs, status exits 1', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const disk = path.join(root, 'backup-disk');
	fs.mkdirSync(disk, {mode: 0o700});
	const hookOut = path.join(root, 'hook.env');
	const env = {...stateEnv(root), HOOK_OUT: hookOut};
	const nightly = (target: string) => ['backup', '--repo', install, '--target', target, '--on-failure', 'env | grep ^CRX_BACKUP_ | sort > "$HOOK_OUT"; cat "$CRX_BACKUP_SUMMARY" > "$HOOK_OUT.json"'];

	const good = await runCli(nightly(path.join(disk, 'night-1.zip')), {env});
	expect(good.code, good.stderr).toBe(0);
	const healthy = await runCli(['status', '--repo', install, '--dir', disk], {env});
	expect(healthy.code, healthy.stdout).toBe(0);

	// The backup disk is unmounted: the folder the target goes into is gone.
	fs.renameSync(disk, path.join(root, 'unplugged'));
	const target = path.join(disk, 'night-2.zip');
	const refused = await runCli(nightly(target), {env});
	expect(refused.code).toBe(2);
	const sentence = refused.stderr.trim().replace(/^crx-backup: /, '');
	expect(sentence).toMatch(/does not exist/);
	expect(fs.existsSync(disk)).toBe(false); // Nothing was written: not even the folder.

	expect(fs.readFileSync(hookOut, 'utf8')).toContain('CRX_BACKUP_STATUS=failure');
	expect(JSON.parse(fs.readFileSync(`${hookOut}.json`, 'utf8'))).toMatchObject({exitCode: 2, outcome: 'failure', target, sentence});

	const status = await runCli(['status', '--repo', install], {env});
	expect(status.code).toBe(1);
	expect(status.stdout).toMatch(/^FAILED: .*last run failed \(exit 2: .*does not exist/);
});
