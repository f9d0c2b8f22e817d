import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/** Whether `file` can be made immutable here (ext4 and root: yes; tmpfs or no CAP_LINUX_IMMUTABLE: no). */
function immutable(file: string, on: boolean): boolean {
	try {
		execFileSync('chattr', [on ? '+i' : '-i', file], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

/**
 * A delete stopped after it marked the folder leaves most of an install behind (killed at once: all
 * of it). Someone starts AEM from it. The next prune "finishes the interrupted delete": it must see
 * that AEM runs there and leave it, as it leaves any backup AEM runs from. The test stops the delete
 * at the repository's lock file (made immutable), so what is left holds the lock AEM then takes.
 */
test('the rest of an interrupted delete that AEM now runs from is left by prune and refused by delete', async context => {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root, {live: false});
	// AEM's lock file, empty while AEM is down: the backups copy it.
	fs.writeFileSync(path.join(quickstart, 'repository', 'segmentstore', 'repo.lock'), '');
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	for (const [day, name] of [['01', 'n1'], ['02', 'n2']] as const) {
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, name)], {env: env(`2026-10-${day}T02:00:00Z`)});
		expect(made.code, made.stderr).toBe(0);
	}
	const backup = path.join(root, 'n1');
	const lock = path.join(backup, 'crx-quickstart', 'repository', 'segmentstore', 'repo.lock');
	if (!immutable(lock, true)) return context.skip('chattr +i is not possible here, so the delete cannot be stopped at the lock file');
	const stopped = await runCli(['delete', backup, '--yes', '--repo', install], {env: env('2026-10-02T03:00:00Z')});
	immutable(lock, false);
	expect(stopped.code).toBe(1);
	expect(fs.existsSync(path.join(backup, '.crx-backup-deleting.json'))).toBe(true);

	// One process that holds the lock itself (flock(1) would leave its child holding it once killed).
	const hold = 'import fcntl, sys, time\nf = open(sys.argv[1])\nfcntl.flock(f, fcntl.LOCK_EX)\nprint("locked", flush=True)\ntime.sleep(600)\n';
	const aem = spawn('python3', ['-c', hold, lock], {stdio: ['ignore', 'pipe', 'ignore']});
	const exited = new Promise(resolve => aem.once('exit', resolve));
	try {
		await new Promise(resolve => aem.stdout!.once('data', resolve));
		const pruned = await runCli(['prune', '--repo', install, '--keep-last', '1'], {env: env('2026-10-02T03:00:00Z')});
		expect(pruned.code, pruned.stderr).toBe(0);
		expect(pruned.stdout).toMatch(/^leave {3}n1 {2}\(a process holds its crx-quickstart\/repository\/segmentstore\/repo\.lock \(AEM runs there\)/m);
		const deleted = await runCli(['delete', backup, '--yes', '--repo', install], {env: env('2026-10-02T03:00:00Z')});
		expect(deleted.code).toBe(2);
		expect(deleted.stderr).toMatch(/\(AEM runs there\); remove it by hand if AEM no longer needs it\.\n$/);
		expect(fs.existsSync(lock)).toBe(true);
		expect(fs.existsSync(path.join(backup, 'crx-backup-manifest.jsonl'))).toBe(true);
	} finally {
		aem.kill('SIGKILL');
		await exited;
	}
	// AEM gone, the leftover is finished as before.
	const finished = await runCli(['delete', backup, '--yes', '--repo', install], {env: env('2026-10-02T04:00:00Z')});
	expect(finished.code, finished.stderr).toBe(0);
	expect(fs.existsSync(backup)).toBe(false);
});
