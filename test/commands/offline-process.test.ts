/**
 * --method offline against the fake AEM as AEM's scripts behave (REAL-AEM.md):
 * bin/stop removes cq.pid and returns at once, Oak frees repo.lock before the
 * JVM exits, bin/start writes cq.pid at launch. The backup waits for the JVM
 * itself, never runs two AEMs at once, does not hang on or trust a planted
 * cq.pid, and lets AEM run again as soon as the copy is staged.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {fakeAemProcesses, isAlive, runningFakeAem, startFakeAem, stopFakeAem} from '../../source/demo/fake-aem/control.js';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {generateRepository} from '../../source/demo/generate.js';
import {MANIFEST_NAME} from '../../source/engine/platform/paths.js';
import {runCli, startCli, waitFor, type CliResult} from '../support/cli.js';
import {tempDir} from '../support/trees.js';

const log = (quickstart: string) => fs.readFileSync(path.join(quickstart, 'logs/stdout.log'), 'utf8');
const running = (install: string) => waitFor(() => runningFakeAem(install) !== undefined, 30_000, 'AEM to run again');
const crxLines = (result: CliResult) => result.stderr.match(/^crx-backup: .*$/gm) ?? [];

/** The CLI, killed after `ms` if it has not ended: a hang is a failure (code null), not a stuck test run. */
async function runBounded(args: string[], ms: number): Promise<CliResult> {
	const run = startCli(args);
	const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
	try {
		return await run.done;
	} finally {
		clearTimeout(timer);
	}
}

describe('backup --method offline and the AEM process', () => {
	let root: string;
	let install: string;
	let quickstart: string;
	const extra: number[] = [];

	beforeAll(async () => {
		root = tempDir('crx-offline-jvm-');
		install = path.join(root, 'AEM');
		quickstart = (await generateRepository(install, {sizeBytes: 1024 * 1024, seed: 9})).quickstart;
		// Oak's lock goes 4 s before the JVM exits: long enough that a copy started at the lock's release is over by then.
		await installFakeAem(install, {stopDelayMs: 200, exitDelayMs: 4000, maxLifetimeMs: 120_000});
	});

	afterEach(async () => {
		for (const pid of extra.splice(0)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}
		const aem = runningFakeAem(install);
		if (aem) await stopFakeAem(install).catch(() => undefined);
		for (const pid of fakeAemProcesses(install)) process.kill(pid, 'SIGKILL');
		await waitFor(() => fakeAemProcesses(install).length === 0, 30_000, 'no AEM left');
		fs.rmSync(path.join(quickstart, 'conf/cq.pid'), {force: true});
	});

	afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

	it('copies only once the JVM has exited, not when repo.lock is free (the JVM logs on after FileStore.close())', async () => {
		const before = await startFakeAem(install);
		const target = path.join(root, 'after-exit');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--stop-timeout', '60', '--json']);
		expect(crxLines(result)).toEqual([]);
		expect(result.code).toBe(0);
		expect(isAlive(before.pid)).toBe(false);
		// The JVM's last words are in the copy: it was taken after they were written.
		const copied = fs.readFileSync(path.join(target, 'crx-quickstart/logs/stdout.log'), 'utf8');
		expect(copied).toMatch(new RegExp(`\\[fake-aem ${before.pid}\\] stopped: the JVM exits`));
		await running(install);
	}, 60_000);

	it('a cancel while the JVM is still exiting starts no second AEM beside it: the new one starts after the old one exited', async () => {
		// 15 s from Oak's close to the JVM's exit: the cancel surely comes inside that window.
		const before = await startFakeAem(install, {env: {FAKE_AEM_EXIT_DELAY_MS: '15000'}});
		const run = startCli(['backup', '--repo', install, '--target', path.join(root, 'cancelled'), '--method', 'offline', '--stop-timeout', '60']);
		// Oak has closed (the lock is free), the JVM has not exited: cancel now.
		await waitFor(() => log(quickstart).includes(`[fake-aem ${before.pid}] TarMK closed`), 30_000, 'TarMK closed');
		expect(isAlive(before.pid)).toBe(true);
		run.child.kill('SIGINT');
		const result = await run.done;
		expect(result.code).toBe(130);
		await running(install);
		const text = log(quickstart);
		const exited = text.indexOf(`[fake-aem ${before.pid}] stopped: the JVM exits`);
		const next = runningFakeAem(install)!.pid;
		expect(exited).toBeGreaterThan(0);
		expect(text.indexOf(`[fake-aem ${next}] starting on`)).toBeGreaterThan(exited);
	}, 60_000);

	it('a start command that leaves its output open does not make the backup wait out --stop-timeout and kill the AEM it started', async () => {
		const before = await startFakeAem(install);
		const holder = path.join(root, 'holder.pid');
		// AEM's bin/start, then a child that keeps the command's stdout open for a minute.
		const startCmd = `"${quickstart}/bin/start"; sleep 60 & echo $! > "${holder}"`;
		const result = await runBounded(['backup', '--repo', install, '--target', path.join(root, 'open-output'), '--method', 'offline', '--start-cmd', startCmd, '--stop-timeout', '20', '--json'], 50_000);
		extra.push(Number(fs.readFileSync(holder, 'utf8')));
		expect(crxLines(result)).toEqual([]);
		expect(result.code).toBe(0);
		// The AEM it started is up (cq.pid names a live java), the holder still runs: nothing was killed.
		expect(isAlive(extra[0]!)).toBe(true);
		await running(install);
		expect(runningFakeAem(install)!.pid).not.toBe(before.pid);
	}, 60_000);

	it('a stop command that fails leaves AEM running as it was: nothing waited for, nothing started', async () => {
		const before = await startFakeAem(install);
		const result = await runBounded(['backup', '--repo', install, '--target', path.join(root, 'stop-failed'), '--method', 'offline', '--stop-cmd', 'echo no >&2; exit 3'], 40_000);
		expect(result.code).toBe(1);
		expect(crxLines(result)).toEqual(['crx-backup: The stop command failed with exit code 3 (no). The backup was aborted; AEM was not started again, check whether it still runs.']);
		expect(runningFakeAem(install)?.pid).toBe(before.pid);
	}, 60_000);

	it('an offline zip lets AEM run again once the copy is staged, before the zip is written; manifest and summary say the same downtime', async () => {
		await startFakeAem(install);
		const zip = path.join(root, 'offline.zip');
		const seen = path.join(root, 'seen-at-start');
		const startCmd = `if [ -e "${zip}" ]; then echo zip > "${seen}"; else echo none > "${seen}"; fi; "${quickstart}/bin/start"`;
		const result = await runCli(['backup', '--repo', install, '--target', zip, '--method', 'offline', '--start-cmd', startCmd, '--json']);
		expect(crxLines(result)).toEqual([]);
		expect(result.code).toBe(0);
		expect(fs.readFileSync(seen, 'utf8').trim()).toBe('none');
		const summary = JSON.parse(result.stdout);
		expect(summary).toMatchObject({method: 'offline', writesBlocked: true});
		expect(summary.downtimeMs).toBeGreaterThan(0);
		expect(summary.writesBlockedMs).toBe(summary.downtimeMs);
		expect(summary.stages).toHaveLength(1);
		const header = JSON.parse(execFileSync('unzip', ['-p', zip, MANIFEST_NAME]).toString().split('\n')[0]!);
		expect(header).toMatchObject({method: 'offline', writesBlocked: true, writesBlockedMs: summary.downtimeMs});
		// The log says it in that order too: AEM down, AEM up, then the zip.
		expect(result.stderr).toMatch(/Stopping AEM[\s\S]*AEM is down[\s\S]*Starting AEM[\s\S]*AEM runs again[\s\S]*✔ Zipping/);
		await running(install);
	}, 60_000);
});

describe('a planted conf/cq.pid', () => {
	let root: string;
	let install: string;
	let quickstart: string;

	beforeAll(async () => {
		root = tempDir('crx-offline-pid-');
		install = path.join(root, 'AEM');
		quickstart = (await generateRepository(install, {sizeBytes: 256 * 1024, seed: 3})).quickstart;
		await installFakeAem(install, {stopDelayMs: 100, exitDelayMs: 100, maxLifetimeMs: 60_000});
	});
	afterEach(() => fs.rmSync(path.join(quickstart, 'conf/cq.pid'), {force: true}));
	afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

	const refusedAsDown = async () => {
		const result = await runBounded(['backup', '--repo', install, '--target', path.join(root, 'never'), '--method', 'offline'], 30_000);
		expect(result.code).toBe(2);
		expect(crxLines(result)).toEqual([`crx-backup: AEM is not running on ${quickstart}, so there is nothing to stop: pass --force to back up the stopped repository without starting it.`]);
		expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
	};

	it('a FIFO does not hang the backup', async () => {
		execFileSync('mkfifo', [path.join(quickstart, 'conf/cq.pid')]);
		await refusedAsDown();
	}, 40_000);

	it('a link to /dev/zero is not read without end', async () => {
		fs.symlinkSync('/dev/zero', path.join(quickstart, 'conf/cq.pid'));
		await refusedAsDown();
	}, 40_000);

	it('"1" (init, always alive) and this very process (not java in this install) do not make AEM look running', async () => {
		fs.writeFileSync(path.join(quickstart, 'conf/cq.pid'), '1\n');
		await refusedAsDown();
		fs.writeFileSync(path.join(quickstart, 'conf/cq.pid'), `${process.pid}\n`);
		await refusedAsDown();
	}, 40_000);
});
