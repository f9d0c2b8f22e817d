import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * What backup-control.test.ts does not cover: how many times each hook runs.
 * A thaw that runs twice can unblock a repository that someone else froze; one
 * that never runs leaves AEM blocked. Every hook appends a line to a log.
 */
function setUp() {
	const root = faultDir();
	const {install} = makeInstall(root);
	const log = path.join(root, 'hooks.log');
	const hook = (name: string, then = 'true') => `echo "${name} $CRX_BACKUP_REPO|$CRX_BACKUP_TARGET" >> ${JSON.stringify(log)}; echo noise on stdout; ${then}`;
	const lines = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
	const count = (name: string) => lines().filter(line => line.startsWith(`${name} `)).length;
	return {root, install, hook, lines, count, env: stateEnv(root)};
}

test('on success, freeze and thaw run exactly once each, freeze first, with the repository and target in their environment; their output stays off --json', async () => {
	for (const target of ['ok', 'ok.zip']) {
		const {root, install, hook, lines, env} = setUp();
		const full = path.join(root, target);
		// The thaw also notes whether zipping had begun: writes are blocked for stage 4 only, not while zipping. The
		// .partial name is reserved (empty, O_EXCL) before stage 1, so "begun" means a .partial with bytes in it.
		const thaw = hook('thaw', `find ${JSON.stringify(root)} -maxdepth 1 -name '*.partial' -size +0c | wc -l | tr -d ' ' >> ${JSON.stringify(path.join(root, 'hooks.log'))}`);
		const result = await runCli(['backup', '--repo', install, '--target', full, '--freeze-cmd', hook('freeze'), '--thaw-cmd', thaw, '--json'], {env});
		expect(result.code, result.stderr).toBe(0);
		const summary = JSON.parse(result.stdout) as {writesBlocked: boolean; writesBlockedMs: number};
		expect(summary.writesBlocked).toBe(true);
		const quickstart = fs.realpathSync(path.join(install, 'crx-quickstart'));
		expect(lines()).toEqual([`freeze ${quickstart}|${full}`, `thaw ${quickstart}|${full}`, '0']);
	}
});

const failures: Array<[string, (hook: ReturnType<typeof setUp>['hook'], root: string) => string[], number]> = [
	['the freeze command fails', hook => ['--freeze-cmd', hook('freeze', 'exit 3'), '--thaw-cmd', hook('thaw')], 1],
	['the freeze command hangs past --freeze-timeout', hook => ['--freeze-cmd', hook('freeze', 'sleep 30'), '--freeze-timeout', '1', '--thaw-cmd', hook('thaw')], 1],
	['the thaw command fails (it is not retried)', hook => ['--freeze-cmd', hook('freeze'), '--thaw-cmd', hook('thaw', 'exit 4')], 1],
	['SIGINT arrives during the freeze command', hook => ['--freeze-cmd', hook('freeze', 'kill -INT $PPID; sleep 0.3'), '--thaw-cmd', hook('thaw')], 130],
	['SIGTERM arrives during the thaw command', hook => ['--freeze-cmd', hook('freeze'), '--thaw-cmd', hook('thaw', 'kill -TERM $PPID; sleep 0.3')], 130],
];

for (const [what, args, code] of failures) {
	test(`when ${what}, thaw runs exactly once (exit ${code})`, async () => {
		for (const target of ['t', 't.zip']) {
			const {root, install, hook, count, env} = setUp();
			const result = await runCli(['backup', '--repo', install, '--target', path.join(root, target), ...args(hook, root)], {env});
			// A cancel that lands while the thaw runs may still let the backup finish: the thaw count is what matters.
			if (code === 130 && what.includes('thaw')) expect([0, 130], result.stderr).toContain(result.code);
			else expect(result.code, result.stderr).toBe(code);
			expect(count('freeze'), target).toBe(1);
			expect(count('thaw'), target).toBe(1);
		}
	});
}

test('a backup that fails before stage 4 runs neither hook', async () => {
	const {root, install, hook, lines, env} = setUp();
	// The lock is held by a live crx-backup process (one named so; a process that is not crx-backup holds
	// no lock, test/security/state-folder.test.ts): the backup stops before it copies anything.
	fs.mkdirSync(path.join(root, 'state'));
	const {lockPath} = await import('../../source/engine/backup/lock.js');
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
	const lock = lockPath(fs.realpathSync(path.join(install, 'crx-quickstart')));
	delete process.env.CRX_BACKUP_STATE_DIR;
	const holder = spawn('sleep', ['60'], {argv0: 'crx-backup', stdio: 'ignore'});
	try {
		fs.writeFileSync(lock, JSON.stringify({pid: holder.pid, host: (await import('node:os')).hostname(), startedAt: new Date().toISOString()}));
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 'x'), '--freeze-cmd', hook('freeze'), '--thaw-cmd', hook('thaw')], {env});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/Another backup/);
		expect(lines()).toEqual([]);
	} finally {
		holder.kill();
	}
});
