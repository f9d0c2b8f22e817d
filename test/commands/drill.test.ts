/**
 * crx-backup drill against the fake AEM: the newest backup restored beside the backups, started on a port of its
 * own, waited for until HTTP 200 and every bundle active, stopped and removed; bad input refused with exit 2
 * before anything is written; an AEM that never comes up is exit 1; status --max-drill-age; backup --drill.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {drill, drillFixture, scratchFolders, type DrillFixture} from '../support/drill.js';

const refusal = (stderr: string) => stderr.match(/^crx-backup: .*$/gm) ?? [];

describe('crx-backup drill', () => {
	let fixture: DrillFixture;
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-');
	});
	afterAll(() => fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250}));

	it('status --max-drill-age exits 1 while there is no drill at all', async () => {
		const result = await runCli(['status', '--repo', fixture.install, '--dir', fixture.backups, '--max-drill-age', '8d'], {env: fixture.env});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^STALE DRILL: .*no restore drill recorded \(max 192 h\)/);
	});

	it('restores the newest backup, brings AEM up on its own port, reports the figures, removes the scratch folder', async () => {
		const result = await drill(fixture, ['--json', '--start-timeout', '2m']);
		expect(refusal(result.stderr)).toEqual([]);
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout) as {result: string; ok: boolean; backup: {path: string}; port: number; scratch: string; kept: boolean; isolation: string; figures: Record<string, number>; backupAgeMs: number};
		expect(summary).toMatchObject({result: 'up', ok: true, kept: false, backup: {path: fixture.backup}});
		expect(summary.isolation).toBe(process.geteuid?.() === 0 ? 'namespace' : 'none');
		expect(summary.figures.rtoMs).toBe(summary.figures.verifyMs + summary.figures.restoreMs + summary.figures.startMs);
		expect(summary.backupAgeMs).toBeGreaterThanOrEqual(0);
		expect(path.dirname(summary.scratch)).toBe(fixture.backups);
		expect(result.stderr).toMatch(/all 512 bundles active/);
		expect(fs.existsSync(summary.scratch)).toBe(false);
		expect(scratchFolders(fixture)).toEqual([]);
		// The live install was never started: no cq.pid, no log.
		expect(fs.existsSync(path.join(fixture.quickstart, 'conf/cq.pid'))).toBe(false);
		expect(fs.existsSync(path.join(fixture.quickstart, 'logs/stdout.log'))).toBe(false);

		const status = await runCli(['status', '--repo', fixture.install, '--dir', fixture.backups, '--max-drill-age', '8d', '--json'], {env: fixture.env});
		expect(status.code).toBe(0);
		const health = JSON.parse(status.stdout) as {healthy: boolean; drill: {fresh: boolean; last: {result: string; figures: {rtoMs: number}}}};
		expect(health.drill.fresh).toBe(true);
		expect(health.drill.last.result).toBe('up');
		expect(health.drill.last.figures.rtoMs).toBe(summary.figures.rtoMs);
		const line = await runCli(['status', '--repo', fixture.install, '--dir', fixture.backups, '--max-drill-age', '8d'], {env: fixture.env});
		expect(line.stdout).toMatch(/last drill .* ago came up, restore time /);
	}, 120_000);

	it('refuses a port something listens on (exit 2), writing nothing', async () => {
		const server = net.createServer().listen(0, '127.0.0.1');
		await new Promise(resolve => server.once('listening', resolve));
		const port = (server.address() as net.AddressInfo).port;
		try {
			const result = await drill(fixture, ['--port', String(port)]);
			expect(result.code).toBe(2);
			expect(refusal(result.stderr)).toEqual([`crx-backup: Port ${port} is in use: pass a free --port.`]);
			expect(scratchFolders(fixture)).toEqual([]);
		} finally {
			server.close();
		}
	});

	for (const [what, args, sentence] of [
		['a port that is not one', ['--port', '70000'], /^crx-backup: --port must be a TCP port from 1 to 65535 \(got "70000"\)\.$/],
		['an unknown backup', ['no-such-backup'], /^crx-backup: No backup named no-such-backup in /],
		['a bad --start-timeout', ['--start-timeout', 'soon'], /^crx-backup: --start-timeout must be a duration/],
	] as const) {
		it(`refuses ${what} with one sentence, exit 2`, async () => {
			const result = await drill(fixture, [...args]);
			expect(result.code).toBe(2);
			expect(refusal(result.stderr)).toHaveLength(1);
			expect(refusal(result.stderr)[0]).toMatch(sentence);
			expect(scratchFolders(fixture)).toEqual([]);
		});
	}

	it('refuses --keep to a command that does not take it, and --drill\'s flags without --drill', async () => {
		const keep = await runCli(['restore', fixture.backup, '--to', path.join(fixture.root, 'r'), '--keep'], {env: fixture.env});
		expect(keep.code).toBe(2);
		expect(refusal(keep.stderr)).toEqual(['crx-backup: restore does not take --keep; see crx-backup restore --help.']);
		const timeout = await runCli(['backup', '--repo', fixture.install, '--target', path.join(fixture.backups, 'x'), '--start-timeout', '5m'], {env: fixture.env});
		expect(timeout.code).toBe(2);
		expect(refusal(timeout.stderr)).toEqual(['crx-backup: --start-timeout needs --drill: without it the backup starts no drill.']);
		expect(fs.existsSync(path.join(fixture.backups, 'x'))).toBe(false);
	});
});

describe('a drill whose AEM never comes up', () => {
	let fixture: DrillFixture;
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-stuck-', {bundlesStuck: true});
	});
	afterAll(() => fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250}));

	it('exits 1 once --start-timeout is over with bundles still resolved, stops it and removes its folder', async () => {
		// The bound, not a wait: with bundles stuck the drill ends at it on any machine; what it says last depends on how far AEM got.
		const result = await drill(fixture, ['--start-timeout', '20s']);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/^✖ AEM restored from nightly (was not ready within 20\.0 s: |did not start: )/);
		expect(scratchFolders(fixture)).toEqual([]);
		const status = await runCli(['status', '--repo', fixture.install, '--dir', fixture.backups, '--max-drill-age', '8d'], {env: fixture.env});
		expect(status.code).toBe(1);
		expect(status.stdout).toMatch(/last drill .* failed \(not-up\).*; no good drill recorded/);
	}, 120_000);

	it('backup --drill: a good backup whose drill fails exits 1 and runs --on-failure with CRX_BACKUP_STATUS=drill-failed', async () => {
		const told = path.join(fixture.root, 'hook-status');
		const target = path.join(fixture.backups, 'tonight');
		const result = await runCli([
			'backup', '--repo', fixture.install, '--target', target, '--drill', '--start-timeout', '20s', '--dir', fixture.backups,
			'--on-failure', `echo "$CRX_BACKUP_STATUS" > ${told}`,
		], {env: fixture.env});
		expect(result.code).toBe(1);
		expect(refusal(result.stderr)).toEqual([expect.stringMatching(/^crx-backup: The backup .*tonight is complete, but its restore drill failed: /)]);
		expect(fs.readFileSync(told, 'utf8')).toBe('drill-failed\n');
		expect(fs.existsSync(path.join(target, 'crx-quickstart'))).toBe(true);
		expect(scratchFolders(fixture)).toEqual([]);
	}, 120_000);
});

describe('backup --drill on a good install', () => {
	let fixture: DrillFixture;
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-nightly-');
	});
	afterAll(() => fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250}));

	it('drills the backup it just made, after it, and exits 0 with --on-success told success', async () => {
		const told = path.join(fixture.root, 'hook-status');
		const target = path.join(fixture.backups, 'tonight');
		const result = await runCli([
			'backup', '--repo', fixture.install, '--target', target, '--drill', '--start-timeout', '2m', '--json', '--keep-last', '5', '--dir', fixture.backups,
			'--on-success', `echo "$CRX_BACKUP_STATUS" > ${told}`,
		], {env: fixture.env});
		expect(refusal(result.stderr)).toEqual([]);
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout) as {target: string; drill: {ok: boolean; backup: {path: string}}; prune: unknown};
		expect(json.drill).toMatchObject({ok: true, backup: {path: target}});
		expect(json.prune).toBeDefined();
		expect(fs.readFileSync(told, 'utf8')).toBe('success\n');
		expect(scratchFolders(fixture)).toEqual([]);
	}, 120_000);
});

describe('a drill of a damaged backup', () => {
	let fixture: DrillFixture;
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-damaged-');
	});
	afterAll(() => fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250}));

	it('exits 1 at verify, restores nothing and starts nothing', async () => {
		// One byte of a file the manifest lists, changed in place: what bit rot or a bad copy does.
		const victim = fs.readdirSync(path.join(fixture.backup, 'crx-quickstart/conf')).find(name => name.endsWith('.properties') || name === 'fake-aem.json')!;
		const file = path.join(fixture.backup, 'crx-quickstart/conf', victim);
		const bytes = fs.readFileSync(file);
		bytes[0] = bytes[0]! ^ 0xff;
		fs.writeFileSync(file, bytes);
		const result = await drill(fixture, ['--json']);
		expect(result.code).toBe(1);
		const summary = JSON.parse(result.stdout) as {result: string; ok: boolean; sentence: string; figures: {restoreMs: number; startMs: number}};
		expect(summary).toMatchObject({result: 'verify-failed', ok: false, figures: {restoreMs: 0, startMs: 0}});
		expect(summary.sentence).toMatch(/failed verification .*: it would not restore\.$/);
		expect(result.stderr).not.toMatch(/drill: restore…/);
		expect(scratchFolders(fixture)).toEqual([]);
	}, 60_000);
});

