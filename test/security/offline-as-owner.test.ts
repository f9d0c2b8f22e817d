/**
 * A nightly offline backup runs as root (cron); the install belongs to the AEM
 * user. bin/stop and bin/start are that user's code: root runs them as the
 * install's owner, with a clean environment, and refuses them when another user
 * could have changed them (the script or a folder above it).
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {fakeAemProcesses, runningFakeAem} from '../../source/demo/fake-aem/control.js';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {generateRepository} from '../../source/demo/generate.js';
import {drillProcesses} from '../../source/engine/drill/leftovers.js';
import {runCli, waitFor} from '../support/cli.js';
import {chownTree, localUser, quote, shAs, type LocalUser} from '../support/local-user.js';
import {tempDir} from '../support/trees.js';

const user = localUser();
const skip = typeof user === 'string' ? user : (fs.statSync(process.execPath).mode & 0o005) !== 0o005 ? `${process.execPath} is not executable by other users` : undefined;
const SECRET = 'restic-s3cret-for-root-only';

const groupsOf = (pid: number) => (/^Groups:\s*(.*)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1] ?? '').trim().split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
/** A group the AEM user belongs to besides its own: AEM must run with it, as a login as that user would. */
const SHARED_GROUP = 'crxaemshared';
const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const environ = (pid: number) => fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

describe.skipIf(skip !== undefined)(skip ?? 'offline as root on an install another user owns', () => {
	const aem = user as LocalUser;
	let root: string;
	let install: string;
	let quickstart: string;

	const startAsOwner = async () => {
		shAs(aem, `${quote(path.join(quickstart, 'bin/start'))} >/dev/null`);
		await waitFor(() => runningFakeAem(install) !== undefined, 30_000, 'AEM to start');
		return runningFakeAem(install)!;
	};

	beforeAll(async () => {
		root = tempDir('crx-offline-owner-');
		fs.chmodSync(root, 0o755); // The AEM user must reach its install.
		install = path.join(root, 'AEM');
		quickstart = (await generateRepository(install, {sizeBytes: 256 * 1024, seed: 4})).quickstart;
		await installFakeAem(install, {stopDelayMs: 100, exitDelayMs: 200, maxLifetimeMs: 120_000});
		chownTree(install, aem);
		execFileSync('groupadd', ['-f', SHARED_GROUP]);
		execFileSync('usermod', ['-aG', SHARED_GROUP, aem.name]);
	});
	afterEach(async () => {
		for (const pid of fakeAemProcesses(install)) process.kill(pid, 'SIGKILL');
		await waitFor(() => fakeAemProcesses(install).length === 0, 20_000, 'no AEM left');
		fs.chmodSync(path.join(quickstart, 'bin'), 0o755);
		fs.chmodSync(path.join(quickstart, 'bin/start'), 0o755);
	});
	// The fake AEM's writer may still be closing its last files after the kill: retry a folder that is not empty yet.
	// Every process still working in the test's folder (an AEM a backup restarted, its writer) goes first: a
	// datastore being written while it is removed is "directory not empty" on a loaded machine.
	afterAll(async () => {
		const inRoot = () => drillProcesses(root, 0, true); // Any user's process working in the folder.
		for (const pid of inRoot()) process.kill(pid, 'SIGKILL');
		await waitFor(() => inRoot().length === 0, 20_000, 'no process left in the test folder');
		fs.rmSync(root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250});
	});

	it('runs bin/stop and bin/start as the owner, without root\'s secrets', async () => {
		const before = await startAsOwner();
		expect(uidOf(before.pid)).toBe(aem.uid);
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 'b'), '--method', 'offline', '--json'], {env: {RESTIC_PASSWORD: SECRET}});
		expect(result.stderr.match(/^crx-backup: .*$/gm) ?? []).toEqual([]);
		expect(result.code).toBe(0);
		await waitFor(() => runningFakeAem(install) !== undefined && runningFakeAem(install)!.pid !== before.pid, 30_000, 'AEM again');
		const after = runningFakeAem(install)!;
		expect(uidOf(after.pid)).toBe(aem.uid);
		// The owner's own groups, its supplementary one included, and none of root's.
		const expectedGroups = execFileSync('id', ['-G', aem.name], {encoding: 'utf8'}).trim().split(/\s+/).map(Number).sort((a, b) => a - b);
		expect(expectedGroups).toContain(Number(execFileSync('getent', ['group', SHARED_GROUP], {encoding: 'utf8'}).split(':')[2]));
		expect(groupsOf(after.pid)).toEqual(expectedGroups);
		const env = environ(after.pid);
		expect(env.some(entry => entry.includes(SECRET))).toBe(false);
		expect(env).toContain(`USER=${aem.name}`);
	}, 60_000);

	for (const [what, writable] of [['bin/start itself', 'bin/start'], ['the bin folder above it', 'bin']] as const) {
		it(`refuses (exit 2, AEM left running) when ${what} is writable by every user`, async () => {
			const before = await startAsOwner();
			fs.chmodSync(path.join(quickstart, writable), 0o777);
			const target = path.join(root, `refused-${writable.replace('/', '-')}`);
			const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline']);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(new RegExp(`^crx-backup: ${path.join(quickstart, writable).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is writable by every user, so running .* as root could run another user's code: fix its owner and mode, or pass --(start|stop)-cmd\\.\\n$`));
			expect(fs.existsSync(target)).toBe(false);
			expect(runningFakeAem(install)?.pid).toBe(before.pid);
		}, 60_000);
	}

	it('refuses (exit 2, AEM left running) when bin/stop is a link to a safe script in a bin folder every user may write (they could swap the link after the check)', async () => {
		const before = await startAsOwner();
		const scripts = path.join(quickstart, 'scripts');
		fs.mkdirSync(scripts, {mode: 0o755});
		fs.chownSync(scripts, aem.uid, aem.gid);
		fs.renameSync(path.join(quickstart, 'bin/stop'), path.join(scripts, 'stop'));
		fs.symlinkSync('../scripts/stop', path.join(quickstart, 'bin/stop'));
		// The operator's own start command (a service manager's, say): only bin/stop is AEM's.
		const started = path.join(root, 'started-by-operator');
		fs.chmodSync(path.join(quickstart, 'bin'), 0o777);
		try {
			const target = path.join(root, 'refused-linked-scripts');
			const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--start-cmd', `touch ${quote(started)} && runuser -u ${aem.name} -- ${quote(path.join(quickstart, 'bin/start'))} >/dev/null`]);
			expect(result.stderr).toMatch(new RegExp(`^crx-backup: ${path.join(quickstart, 'bin').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is writable by every user, so running .* as root could run another user's code`));
			expect(result.code).toBe(2);
			expect(fs.existsSync(target)).toBe(false);
			expect(runningFakeAem(install)?.pid).toBe(before.pid);
			expect(fs.existsSync(started)).toBe(false);
		} finally {
			fs.rmSync(path.join(quickstart, 'bin/stop'));
			fs.renameSync(path.join(scripts, 'stop'), path.join(quickstart, 'bin/stop'));
			fs.rmdirSync(scripts);
		}
	}, 60_000);
});
