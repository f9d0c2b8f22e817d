/**
 * --method offline against the fake AEM (source/demo/fake-aem): AEM is stopped
 * for the copy, the backup is the tree as it was at the stop, and AEM runs
 * again afterwards, also when the copy fails or is cancelled; a stop that
 * times out aborts and starts nothing new; an AEM already down is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {isAlive, runningFakeAem, startFakeAem, stopFakeAem} from '../../source/demo/fake-aem/control.js';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {makeTinyTmpfs, methodsFsUnavailable} from '../support/methods-fs.js';
import {contentOf, describeTree, tempDir} from '../support/trees.js';

const EXCLUDED = ['repository/index', 'repository/cache'];
const starts = (quickstart: string) => (fs.readFileSync(path.join(quickstart, 'logs/stdout.log'), 'utf8').match(/starting on/g) ?? []).length;
const running = (install: string) => waitFor(() => runningFakeAem(install) !== undefined, 20_000, 'AEM to run again');

describe('backup --method offline', () => {
	let root: string;
	let install: string;
	let quickstart: string;

	beforeAll(async () => {
		root = tempDir('crx-offline-');
		install = path.join(root, 'AEM');
		quickstart = (await generateRepository(install, {sizeBytes: 2 * 1024 * 1024, seed: 5})).quickstart;
		await installFakeAem(install, {stopDelayMs: 300, maxLifetimeMs: 120_000});
	});

	afterEach(async () => {
		const aem = runningFakeAem(install);
		if (aem) {
			await stopFakeAem(install).catch(() => process.kill(aem.pid, 'SIGKILL'));
		}
	});

	afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

	it('stops AEM, backs up the tree as it was at the stop, and starts AEM again', async () => {
		const before = await startFakeAem(install);
		const atStop = path.join(root, 'at-stop');
		// The start command first copies the tree: AEM was down all along, so this is the tree at the stop.
		const startCmd = `cp -a "${quickstart}" "${atStop}" && "${quickstart}/bin/start"`;
		const target = path.join(root, 'offline');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--start-cmd', startCmd, '--json']);
		expect(result.stderr).not.toMatch(/crx-backup:/);
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout);
		expect(summary).toMatchObject({method: 'offline', writesBlocked: true});
		expect(summary.snapshot).toBeUndefined();
		expect(summary.downtimeMs).toBeGreaterThan(0);
		expect(summary.stages).toHaveLength(1);
		expect(isAlive(before.pid)).toBe(false);
		const backup = contentOf(describeTree(path.join(target, 'crx-quickstart')));
		expect(Object.keys(backup).length).toBeGreaterThan(50);
		expect(backup).toEqual(contentOf(describeTree(atStop, {skip: EXCLUDED})));
		await running(install);
	}, 30_000);

	// It mounts a tiny tmpfs: root only (the rest runs anywhere).
	it.skipIf(methodsFsUnavailable())('starts AEM again when the copy fails for want of space', async () => {
		await startFakeAem(install);
		const tiny = makeTinyTmpfs(256);
		try {
			const result = await runCli(['backup', '--repo', install, '--target', path.join(tiny.dir, 'full'), '--method', 'offline', '--force']);
			expect(result.code).toBe(1);
			expect(result.stderr.match(/^crx-backup: .*$/gm)).toEqual(['crx-backup: No space left on the device while backing up: free some space or choose another target.']);
			await running(install);
		} finally {
			tiny.dispose();
		}
	}, 30_000);

	it('starts AEM again when the backup is cancelled', async () => {
		const before = await startFakeAem(install);
		const run = startCli(['backup', '--repo', install, '--target', path.join(root, 'cancelled'), '--method', 'offline', '--delay', '50']);
		await waitFor(() => !isAlive(before.pid), 20_000, 'AEM to stop');
		await new Promise(resolve => setTimeout(resolve, 300));
		run.child.kill('SIGINT');
		const result = await run.done;
		expect(result.code).toBe(130);
		await running(install);
	}, 30_000);

	it('aborts when AEM does not stop in time, and starts nothing new', async () => {
		const before = await startFakeAem(install, {env: {FAKE_AEM_STOP_DELAY_MS: '2500'}});
		const started = starts(quickstart);
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 'timed-out'), '--method', 'offline', '--stop-timeout', '0.5']);
		expect(result.code).toBe(1);
		expect(result.stderr.match(/^crx-backup: .*$/gm)).toEqual(['crx-backup: AEM did not stop within 1 s: the backup was aborted and AEM was not started again (it may still be stopping).']);
		await waitFor(() => !isAlive(before.pid), 20_000, 'the slow stop');
		await new Promise(resolve => setTimeout(resolve, 500));
		expect(runningFakeAem(install)).toBeUndefined();
		expect(starts(quickstart)).toBe(started);
	}, 30_000);

	it('refuses an AEM that is already down (exit 2, nothing written) unless --force, which starts nothing', async () => {
		const target = path.join(root, 'down');
		const refused = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline']);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toBe(`crx-backup: AEM is not running on ${quickstart}, so there is nothing to stop: pass --force to back up the stopped repository without starting it.\n`);
		expect(fs.existsSync(target)).toBe(false);
		const forced = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--force', '--json']);
		expect(forced.code).toBe(0);
		expect(JSON.parse(forced.stdout)).toMatchObject({method: 'offline', downtimeMs: 0});
		await new Promise(resolve => setTimeout(resolve, 500));
		expect(runningFakeAem(install)).toBeUndefined();
	}, 30_000);

	it('refuses offline-only flags without --method offline', async () => {
		const result = await runCli(['backup', '--repo', install, '--stop-cmd', 'true']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('crx-backup: --stop-cmd needs --method offline: only an offline backup stops and starts AEM.\n');
	});
});
