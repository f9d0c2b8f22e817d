/**
 * A drill killed with SIGKILL leaves its AEM running and its scratch folder; the next drill, and `status`, stop
 * that AEM and remove the folder (provably the drill's: its claim, its cwd, its user). The live AEM, running
 * beside it all along, is never touched. SIGINT, and SIGHUP (a closed terminal) like it, stops the drill's AEM, removes its folder and exits 130.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runningFakeAem, startFakeAem, stopFakeAem} from '../../source/demo/fake-aem/control.js';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {drill, drillFixture, drillJvms, scratchFolders, type DrillFixture} from '../support/drill.js';

describe('a drill killed or interrupted', () => {
	let fixture: DrillFixture;
	let live: {pid: number; cqPid: string};
	// Never ready: each drill stays in its `ready` step until it is killed, whatever the machine's speed.
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-kill-', {bundlesStuck: true});
		const running = await startFakeAem(fixture.install);
		live = {pid: running.pid, cqPid: fs.readFileSync(running.paths.pidFile, 'utf8')};
	});
	afterAll(async () => {
		await stopFakeAem(fixture.install).catch(() => undefined);
		fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250});
	});

	const killMidway = async () => {
		const run = startCli(['drill', '--repo', fixture.install, '--dir', fixture.backups, '--start-timeout', '10m'], {env: fixture.env});
		let stderr = '';
		run.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		await waitFor(() => stderr.includes('drill: ready…') && drillJvms(fixture).length > 0, 60_000, 'the drill AEM to run');
		run.child.kill('SIGKILL');
		await run.done;
		const [scratch] = scratchFolders(fixture);
		expect(scratch).toBeDefined();
		expect(drillJvms(fixture)).toHaveLength(1);
		return path.join(fixture.backups, scratch!);
	};
	const liveUntouched = () => {
		expect(runningFakeAem(fixture.install)?.pid).toBe(live.pid);
		expect(fs.readFileSync(path.join(fixture.quickstart, 'conf/cq.pid'), 'utf8')).toBe(live.cqPid);
	};

	it('the next drill stops the AEM a killed one left and removes its folder', async () => {
		const left = await killMidway();
		const next = await drill(fixture, ['--start-timeout', '2s']);
		expect(next.stderr).toContain(`warning: Removed the scratch folder ${left} a killed drill left.`);
		expect(next.stderr).toMatch(/warning: Stopped the AEM a killed drill left running in /);
		expect(next.code).toBe(1); // This install never comes up; the cleanup came first all the same.
		expect(fs.existsSync(left)).toBe(false);
		expect(drillJvms(fixture)).toEqual([]);
		liveUntouched();
	}, 120_000);

	it('status does the same', async () => {
		const left = await killMidway();
		const status = await runCli(['status', '--repo', fixture.install, '--dir', fixture.backups], {env: fixture.env});
		expect(status.stderr).toContain(`warning: Removed the scratch folder ${left} a killed drill left.\n`);
		expect(fs.existsSync(left)).toBe(false);
		expect(drillJvms(fixture)).toEqual([]);
		liveUntouched();
	}, 120_000);

	it.each(['SIGINT', 'SIGHUP'] as const)('%s stops the drill AEM, removes its folder and exits 130', async signal => {
		const run = startCli(['drill', '--repo', fixture.install, '--dir', fixture.backups, '--start-timeout', '10m'], {env: fixture.env});
		let stderr = '';
		run.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		await waitFor(() => stderr.includes('drill: ready…') && drillJvms(fixture).length > 0, 60_000, 'the drill AEM to run');
		run.child.kill(signal);
		const result = await run.done;
		expect(result.code).toBe(130);
		expect(result.stderr).toMatch(/crx-backup: Drill cancelled; its AEM was stopped and its scratch folder removed\./);
		expect(scratchFolders(fixture)).toEqual([]);
		expect(drillJvms(fixture)).toEqual([]);
		liveUntouched();
	}, 120_000);
});
