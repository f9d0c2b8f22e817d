import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli, startCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * A nightly run killed with SIGKILL (the OOM killer, a reboot) records nothing: status must not say OK
 * on the strength of the night before's backup and record. The run is killed while its freeze command
 * runs (a known point: the command says so by writing its pid), with its lock taken.
 */
test('status fails after a backup run that was killed, and is OK again after the next good run', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	const first = await runCli(['backup', '--repo', install, '--target', path.join(root, 'n01.zip')], {env: env('2026-10-01T02:00:00Z')});
	expect(first.code, first.stderr).toBe(0);
	expect((await runCli(['status', '--repo', install], {env: env('2026-10-02T01:00:00Z')})).code).toBe(0);

	const pidFile = path.join(root, 'freeze.pid');
	const job = startCli(['backup', '--repo', install, '--target', path.join(root, 'n02.zip'), '--freeze-cmd', `echo $$ > '${pidFile}.tmp'; mv '${pidFile}.tmp' '${pidFile}'; exec sleep 600`, '--thaw-cmd', 'true'], {env: env('2026-10-02T02:00:00Z')});
	for (const started = Date.now(); !fs.existsSync(pidFile) && job.child.exitCode === null;) {
		if (Date.now() - started > 60_000) throw new Error('the freeze command did not start');
		await new Promise(resolve => setTimeout(resolve, 10));
	}
	job.child.kill('SIGKILL');
	expect((await job.done).signal).toBe('SIGKILL');
	process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');

	const status = await runCli(['status', '--repo', install], {env: env('2026-10-02T03:00:00Z')});
	expect(status.code, status.stdout).toBe(1);
	expect(status.stdout).toMatch(/^FAILED: newest backup n01\.zip is .*; last run failed \(exit 1: the run started at 2026-10-02T02:00:00\.\d+Z stopped without finishing or recording its outcome/);

	const next = await runCli(['backup', '--repo', install, '--target', path.join(root, 'n03.zip')], {env: env('2026-10-02T04:00:00Z')});
	expect(next.code, next.stderr).toBe(0);
	const again = await runCli(['status', '--repo', install], {env: env('2026-10-02T05:00:00Z')});
	expect(again.code, again.stdout).toBe(0);
	expect(again.stdout).toMatch(/^OK: newest backup n03\.zip/);
});
