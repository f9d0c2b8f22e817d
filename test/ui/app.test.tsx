import {afterEach, describe, expect, it} from 'vitest';
import {usageError} from '../../source/engine/platform/errors.js';
import {App, type AppProps} from '../../source/ui/app.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, tooWide, waitForFrame, type Rendered} from '../support/render.js';

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

function open(engine: FakeEngine, props: Partial<AppProps> = {}, size = {columns: 80, rows: 24}) {
	let quitCode: number | undefined;
	rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} onQuit={code => (quitCode = code)} {...props} />, size);
	return {r: rendered, quitCode: () => quitCode};
}

const older = fakeRecord('backup-20250301-1000.zip');
const newer = fakeRecord('backup-20250301-1200', {created: '2025-03-01T12:00:00.000Z', kind: 'directory'});

describe('Home', () => {
	it('shows the repository, its size and the newest backup', async () => {
		const {r} = open(new FakeEngine({records: [older, newer]}));
		const frame = await waitForFrame(r, frame => frame.includes('200 MiB in 1,234 files') && frame.includes('backup-20250301-1200'));
		expect(frame).toContain('/opt/aem/crx-quickstart');
		expect(frame).toContain('✔ complete');
		expect(frame).toContain('c create');
	});

	it('quits with q and resolves 0', async () => {
		const {r, quitCode} = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		r.stdin.write('q');
		await r.waitUntilExit();
		expect(quitCode()).toBe(0);
	});

	it('opens help with ? and closes it with Esc, keeping the screen', async () => {
		const {r} = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, '?', 'Everywhere');
		const frame = await sendAndWait(r, keys.escape, frame => !frame.includes('Everywhere') && frame.includes('Create backup'));
		expect(frame).toContain('Repository');
	});
});

describe('Create Backup', () => {
	it('opens with the default target relative to the backup folder', async () => {
		const engine = new FakeEngine();
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		const frame = await sendAndWait(r, 'c', 'ready: Enter starts');
		expect(frame).toContain('Create Backup');
		expect(frame).toContain('› Target  backup-20250302-0930.zip');
		expect(frame).toContain('→ /opt/backup-20250302-0930.zip');
		expect(frame).toContain('zip: staged in a folder');
		expect(frame).toContain('MiB × ms ÷ 2 = seconds: 200 × 0 ÷ 2 ≈ 0 ms');
	});

	it('flips to directory when the target is a folder name and updates the formula', async () => {
		const engine = new FakeEngine();
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		// Erase ".zip" (4 characters), then set the delay to 1 ms. End first: the untouched default is selected.
		r.stdin.write(keys.end);
		for (let i = 0; i < 4; i++) r.stdin.write(keys.backspace);
		await waitForFrame(r, 'directory: copied as is');
		await sendAndWait(r, keys.tab, '› Delay');
		r.stdin.write(keys.backspace);
		r.stdin.write('1');
		const frame = await waitForFrame(r, 'MiB × ms ÷ 4 = seconds: 200 × 1 ÷ 4 ≈ 50 s');
		expect(frame).toContain('→ /opt/backup-20250302-0930');
		expect(engine.callsTo('preflight').at(-1)).toMatchObject([fakeRepository, {path: '/opt/backup-20250302-0930', kind: 'directory'}, 1]);
	});

	it('shows why a delay is invalid and Enter does nothing', async () => {
		const engine = new FakeEngine();
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		await sendAndWait(r, keys.down, '› Delay');
		r.stdin.write(keys.end); // The default `0` is selected on focus: End keeps it, so `x` makes `0x`.
		r.stdin.write('x');
		const frame = await waitForFrame(r, '✖ The delay must be a whole number');
		expect(frame).not.toContain('ready: Enter starts');
		r.stdin.write(keys.enter);
		await sendAndWait(r, keys.backspace, 'ready: Enter starts');
		expect(engine.callsTo('backup')).toHaveLength(0);
	});

	it('opens Create Backup even when the default target is refused, showing why', async () => {
		// Regression: a folder named like the default zip made resolveTarget throw inside Home and Create, killing the TUI.
		const engine = new FakeEngine();
		const resolve = engine.resolveTarget.bind(engine);
		engine.resolveTarget = (repository, target) => {
			if (target === undefined || target.endsWith('.zip')) throw usageError('The target /opt/backup-20250302-0930.zip exists and is not a file.');
			return resolve(repository, target);
		};
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		const frame = await sendAndWait(r, 'c', 'exists and is not a file');
		expect(frame).toContain('Create Backup');
		expect(frame).toMatch(/backup-\d{8}-\d{4}\.zip/);
	});

	it('shows why a target is refused', async () => {
		const {r} = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		for (let i = 0; i < 'backup-20250302-0930.zip'.length; i++) r.stdin.write(keys.backspace);
		await waitForFrame(r, '✖ The target is empty');
		const frame = await sendAndWait(r, 'aem/crx-quickstart/x', 'is inside the repository');
		expect(tooWide(frame, 80)).toEqual([]);
	});

	it('starts the backup with the right options, shows progress and the summary, then Enter lists backups', async () => {
		const engine = new FakeEngine({records: [older]});
		const {r} = open(engine, {backupDefaults: {freezeCmd: 'freeze', thawCmd: 'thaw'}});
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		await sendAndWait(r, keys.enter, 'Backup Progress');
		expect(engine.callsTo('backup')[0]![0]).toMatchObject({
			repository: fakeRepository, target: {path: '/opt/backup-20250302-0930.zip', kind: 'zip'}, delayMs: 0, freezeCmd: 'freeze', thawCmd: 'thaw',
		});
		// Finished rows reach <Static> in the commit after the summary: wait for both.
		const frame = await waitForFrame(r, frame => frame.includes('Backup complete  100%') && frame.includes('✔ Zipping'), 5000);
		expect(frame).toContain('✔ Stage 1 phase A: all but the datastore');
		expect(frame).toContain('✔ Zipping');
		expect(frame).toContain('blocked for 150 ms in stage 4');
		expect(frame).toContain('⚠ Skipped a socket');
		expect(tooWide(frame, 80)).toEqual([]);
		await sendAndWait(r, keys.enter, 'Status');
		expect(engine.callsTo('list').length).toBeGreaterThan(0);
	});
});

describe('Progress', () => {
	it('shows finished steps and the percentage, and x then y cancels the backup', async () => {
		const engine = new FakeEngine({holdAfter: 14});
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		r.stdin.write(keys.enter);
		const frame = await waitForFrame(r, frame => frame.includes('✔ Stage 1 phase B') && /\d+%/.test(frame) && frame.includes('elapsed'));
		expect(frame).toMatch(/✔ Stage 1 phase A.*10 files/);
		expect(frame).toMatch(/Stage 2: changes since stage 1/);
		expect(tooWide(frame, 80)).toEqual([]);
		await sendAndWait(r, 'x', 'Cancel the backup?');
		await sendAndWait(r, 'y', 'Backup cancelled');
		expect(engine.backupSignal?.aborted).toBe(true);
	});

	it('Ctrl+C asks while a backup runs; a second one right after cancels it first, then quits with 130', async () => {
		const engine = new FakeEngine({holdAfter: 6});
		const {r, quitCode} = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		await sendAndWait(r, keys.enter, '✔ Stage 1 phase A');
		await sendAndWait(r, keys.ctrlC, 'Cancel it and quit?');
		await sendAndWait(r, 'n', '✔ Stage 1 phase A');
		expect(engine.backupSignal?.aborted).toBe(false);
		// Two in one write: the second comes within two seconds on any machine.
		r.stdin.write(keys.ctrlC + keys.ctrlC);
		await r.waitUntilExit();
		expect(engine.backupSignal?.aborted).toBe(true);
		expect(quitCode()).toBe(130);
	});
});

describe('Backups', () => {
	it('lists newest first with details, verifies and deletes after naming the backup', async () => {
		const engine = new FakeEngine({records: [older, newer]});
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		let frame = await sendAndWait(r, 'b', 'Blocked'.toLowerCase());
		expect(frame.indexOf('backup-20250301-1200')).toBeLessThan(frame.indexOf('backup-20250301-1000.zip'));
		expect(frame).toContain('1,234 files');
		expect(tooWide(frame, 80)).toEqual([]);
		await sendAndWait(r, 'v', '✔ Intact: backup-20250301-1200');
		expect(engine.callsTo('verify')).toEqual([['/opt/backup-20250301-1200']]);
		await sendAndWait(r, keys.down, '› backup-20250301-1000.zip');
		await sendAndWait(r, 'd', 'Delete backup-20250301-1000.zip? [y/N]');
		frame = await sendAndWait(r, 'y', '✔ Deleted backup-20250301-1000.zip');
		expect(engine.callsTo('remove')).toEqual([['/opt/backup-20250301-1000.zip', {repository: fakeRepository}]]);
	});

	it('shows the problems a verify finds', async () => {
		const engine = new FakeEngine({records: [older], verify: {ok: false, files: 3, bytes: 10, problems: [{path: 'crx-quickstart/a.tar', problem: 'CRC mismatch'}]}});
		const {r} = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'b', 'Status');
		const frame = await sendAndWait(r, 'v', '✖ 1 problem in backup-20250301-1000.zip');
		expect(frame).toContain('crx-quickstart/a.tar: CRC mismatch');
	});

	it('says where it looked when there are none', async () => {
		const {r} = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		const frame = await sendAndWait(r, 'b', 'No backups found in');
		expect(frame).toContain('/opt');
	});
});
