import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/** `status` for Nagios and cron: exit 0 healthy, 1 stale or after a failed run; the clock moved with CRX_BACKUP_NOW. */
let root: string;
let install: string;
let state: string;
const t0 = Date.parse('2026-11-28T02:00:00Z');
const hours = (n: number) => new Date(t0 + n * 3_600_000).toISOString();
const cli = (args: string[], nowHours: number) => runCli(args, {env: {CRX_BACKUP_STATE_DIR: state, CRX_BACKUP_NOW: hours(nowHours)}});
const status = (nowHours: number, ...extra: string[]) => cli(['status', '--repo', install, ...extra], nowHours);

beforeAll(() => {
	root = fs.realpathSync(tempDir('crx-status-'));
	state = path.join(root, 'state');
	({install} = makeInstall(root, {live: false}));
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('status', () => {
	test('goes from 0 to 1 when the newest backup passes --max-age and when the last run failed', async () => {
		const none = await status(0);
		expect(none.code).toBe(1);
		expect(none.stdout).toMatch(/^NONE: no complete backup; no run recorded; .* free at /);

		expect((await cli(['backup', '--repo', install], 0)).code).toBe(0);
		const fresh = await status(1, '--json');
		expect(fresh.code).toBe(0);
		const health = JSON.parse(fresh.stdout);
		expect(health).toMatchObject({
			state: 'ok', healthy: true, repository: path.join(install, 'crx-quickstart'), maxAgeMs: 26 * 3_600_000, running: false,
			newest: {name: 'backup-20261128-0200.zip', kind: 'zip', path: path.join(root, 'backup-20261128-0200.zip')},
			lastRun: {exitCode: 0, outcome: 'success', target: path.join(root, 'backup-20261128-0200.zip'), sentence: expect.stringMatching(/^Backed up \d+ files/)},
			free: {path: root, bytes: expect.any(Number)},
		});
		expect(health.newest.ageMs).toBeGreaterThan(3_540_000); // Each process's clock runs on from its own start: a second or so either way.
		expect(health.newest.ageMs).toBeLessThan(3_660_000);
		expect(health.lastRun.summary).toBeUndefined();

		const stale = await status(27);
		expect(stale.code).toBe(1);
		expect(stale.stdout).toMatch(/^STALE: newest backup backup-20261128-0200\.zip is 27 h( \d+ min)? old \(max 26 h\); last run succeeded at /);
		expect(stale.stdout.trim().split('\n')).toHaveLength(1);
		expect((await status(27, '--max-age', '2d')).code).toBe(0);

		const failedRun = await cli(['backup', '--repo', install, '--target', 'failing.zip', '--freeze-cmd', 'exit 3'], 2);
		expect(failedRun.code).toBe(1);
		const failed = await status(3, '--json');
		expect(failed.code).toBe(1);
		expect(JSON.parse(failed.stdout)).toMatchObject({state: 'failed', healthy: false, lastRun: {exitCode: 1, outcome: 'failure', target: path.join(root, 'failing.zip')}});
		// Each process's clock runs on from its own start, so the backup's recorded start is some seconds past 0 h on a
		// loaded machine: asked three minutes past 3 h, the age is 3 h and up to 3 min whatever the machine's speed.
		expect((await status(3.05)).stdout).toMatch(/^FAILED: newest backup backup-20261128-0200\.zip is 3 h( [0-3] min)? old .*; last run failed \(exit 1: .*freeze/);

		expect((await cli(['backup', '--repo', install], 4)).code).toBe(0);
		expect((await status(5)).code).toBe(0);
	}, 60_000);

	test('a bad --max-age is one sentence and exit 2', async () => {
		const result = await status(0, '--max-age', '26');
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('crx-backup: --max-age must be a duration such as 26h, 90m or 2d, above 0 and at most 400d (got "26").\n');
	});
});
