/**
 * conf/cq.pid is untrusted, and so is the process it names: a stale pid file
 * whose pid another local user's process now has (pids are recycled; that user
 * can run a program named java from inside the install) is not AEM. The offline
 * method must not take it for a running AEM: with AEM down a backup is refused
 * unless --force, and it never stops and starts an AEM the operator stopped on purpose.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {fakeAemProcesses, runningFakeAem} from '../../source/demo/fake-aem/control.js';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli} from '../support/cli.js';
import {localUser, type LocalUser} from '../support/local-user.js';
import {tempDir} from '../support/trees.js';

const user = localUser();
const sleep = ['/bin/sleep', '/usr/bin/sleep'].find(file => fs.existsSync(file));
const skip = typeof user === 'string' ? user : sleep === undefined ? 'no sleep binary to name java' : undefined;

describe.skipIf(skip !== undefined)(skip ?? 'a cq.pid naming another user\'s java process in the install', () => {
	const attacker = user as LocalUser;
	let root: string;
	let install: string;
	let quickstart: string;
	let java: ChildProcess;

	beforeAll(async () => {
		root = tempDir('crx-foreign-pid-');
		fs.chmodSync(root, 0o755);
		install = path.join(root, 'AEM');
		quickstart = (await generateRepository(install, {sizeBytes: 64 * 1024, seed: 11})).quickstart;
		await installFakeAem(install, {stopDelayMs: 100, exitDelayMs: 100, maxLifetimeMs: 60_000});
		// The attacker's own program, named java, working in the install (they may enter it, as anyone may read it).
		const own = path.join(root, 'attacker');
		fs.mkdirSync(own, {mode: 0o755});
		fs.copyFileSync(sleep!, path.join(own, 'java'));
		fs.chmodSync(path.join(own, 'java'), 0o755);
		fs.chownSync(own, attacker.uid, attacker.gid);
		java = spawn(path.join(own, 'java'), ['600'], {cwd: install, uid: attacker.uid, gid: attacker.gid, stdio: 'ignore'});
		await new Promise(resolve => java.once('spawn', resolve));
		// AEM is down; its pid file, left by a crash, names a pid that is now the attacker's.
		fs.writeFileSync(path.join(quickstart, 'conf/cq.pid'), `${java.pid}\n`);
	});
	afterAll(() => {
		java?.kill('SIGKILL');
		for (const pid of fakeAemProcesses(install)) process.kill(pid, 'SIGKILL');
		fs.rmSync(root, {recursive: true, force: true});
	});

	it('is not AEM: the offline backup says AEM is not running (exit 2), stops and starts nothing', async () => {
		const target = path.join(root, 'b');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--stop-timeout', '5']);
		expect(result.stderr).toMatch(/^crx-backup: AEM is not running on .*, so there is nothing to stop: pass --force/);
		expect(result.code).toBe(2);
		expect(fs.existsSync(target)).toBe(false);
		expect(runningFakeAem(install)).toBeUndefined();
		expect(java.exitCode).toBeNull();
	}, 60_000);
});
