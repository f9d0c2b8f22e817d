/**
 * One drill of an install at a time: a second drill while one runs is refused (exit 2, nothing made), and of two
 * processes claiming the drill at the same instant exactly one wins (the claim is linked into place, never
 * replaced). The drill's copy is in a folder of its own that nobody else can enter.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createStateJson} from '../../source/engine/platform/state-dir.js';
import {startCli, waitFor} from '../support/cli.js';
import {drill, drillFixture, drillJvms, scratchFolders, type DrillFixture} from '../support/drill.js';

describe('two drills of one install', () => {
	let fixture: DrillFixture;
	// Never ready: the first drill stays in its `ready` step until it is interrupted, whatever the machine's speed.
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-twice-', {bundlesStuck: true});
	});
	afterAll(() => fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250}));

	it('a second drill while one runs is refused, writing nothing; the first one\'s copy is private to it', async () => {
		const first = startCli(['drill', '--repo', fixture.install, '--dir', fixture.backups, '--start-timeout', '10m'], {env: fixture.env});
		let stderr = '';
		first.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		await waitFor(() => stderr.includes('drill: ready…') && drillJvms(fixture).length > 0, 60_000, 'the first drill AEM to run');
		const [scratch] = scratchFolders(fixture);
		const folder = path.join(fixture.backups, scratch!);
		expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
		expect(fs.existsSync(path.join(folder, 'aem', 'crx-quickstart', 'bin', 'start'))).toBe(true);

		const second = await drill(fixture, ['--start-timeout', '2s']);
		expect(second.code).toBe(2);
		expect(second.stderr.match(/^crx-backup: .*$/gm)).toEqual([expect.stringMatching(/^crx-backup: A drill of .* (is running|has just started)/)]);
		expect(scratchFolders(fixture)).toEqual([scratch]);
		expect(drillJvms(fixture)).toHaveLength(1);

		first.child.kill('SIGINT');
		expect((await first.done).code).toBe(130);
		expect(scratchFolders(fixture)).toEqual([]);
		expect(drillJvms(fixture)).toEqual([]);
	}, 120_000);

	it('of two claims made at once exactly one is taken, and the winner\'s is never replaced', () => {
		const dir = fs.mkdtempSync(path.join(fixture.root, 'state-'));
		const saved = process.env.CRX_BACKUP_STATE_DIR;
		process.env.CRX_BACKUP_STATE_DIR = dir;
		try {
			const file = path.join(dir, 'claim.json');
			const results = [createStateJson(file, {pid: 1}), createStateJson(file, {pid: 2})];
			expect(results).toEqual([true, false]);
			expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({pid: 1});
			expect(fs.readdirSync(dir)).toEqual(['claim.json']); // No temporary file left beside it.
		} finally {
			if (saved === undefined) delete process.env.CRX_BACKUP_STATE_DIR;
			else process.env.CRX_BACKUP_STATE_DIR = saved;
		}
	});
});
