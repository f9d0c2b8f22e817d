import {afterEach, describe, expect, it} from 'vitest';
import {App, type AppProps} from '../../source/ui/app.js';
import {prefillFromFlags} from '../../source/ui/options/prefill.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, tooWide, waitForFrame, type Rendered} from '../support/render.js';

/**
 * Create Backup offers every backup option of the CLI in
 * an Options section (closed at first), prefilled from the TUI's command line and
 * checked by the engine's own rules; text fields replace an untouched default and
 * know Home/End and Ctrl+A/E/U/W.
 */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

async function openCreate(engine: FakeEngine, props: Partial<AppProps> = {}) {
	const r = (rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} {...props} />, {columns: 80, rows: 24}));
	await waitForFrame(r, 'Create backup');
	await sendAndWait(r, 'c', 'ready: Enter starts');
	return r;
}

const ctrl = (letter: string) => String.fromCharCode(letter.charCodeAt(0) - 96);

describe('Create Backup options', () => {
	it('starts closed, says what the command line set, and the backup really gets those options', async () => {
		const engine = new FakeEngine();
		const prefill = prefillFromFlags({freezeCmd: 'touch /tmp/frozen', thawCmd: 'rm /tmp/frozen', delay: '5', exclude: ['logs', 'launchpad/felix'], freezeTimeout: '30'});
		const r = await openCreate(engine, {prefill});
		const frame = r.lastFrame();
		expect(frame).toContain('Options');
		expect(frame).toContain('▸ freeze/thaw set · 2 excluded · freeze max 30 s');
		expect(frame).not.toContain('Freeze cmd');
		expect(frame).toMatch(/Delay\s+5 ms/);
		await sendAndWait(r, keys.enter, 'Backup Progress');
		expect(engine.callsTo('backup')[0]![0]).toMatchObject({
			delayMs: 5, freezeCmd: 'touch /tmp/frozen', thawCmd: 'rm /tmp/frozen', freezeTimeoutMs: 30_000, exclude: ['logs', 'launchpad/felix'],
		});
		expect(engine.callsTo('backup')[0]![0]).not.toHaveProperty('force');
		// The preflight measured the repository without the excluded paths.
		expect(engine.callsTo('preflight').some(call => JSON.stringify(call[3]) === '["logs","launchpad/felix"]')).toBe(true);
	});

	it('opens with Space on its header; each option is checked by its engine rule as you type', async () => {
		const engine = new FakeEngine();
		const r = await openCreate(engine);
		await sendAndWait(r, keys.tab, '› Delay');
		await sendAndWait(r, keys.tab, '› Options');
		let frame = await sendAndWait(r, ' ', 'Freeze cmd');
		expect(frame).toContain('Thaw cmd');
		expect(frame).toContain('Freeze max');
		// Force sits further down, under AEM: the Force tests below go there.
		expect(tooWide(frame, 80)).toEqual([]);
		// A thaw without a freeze: the CLI's sentence, under the field, and Enter does nothing.
		// Grouped under headings: Freeze (Freeze cmd, Thaw cmd, Freeze max) first.
		expect(frame).toMatch(/^ {2}Freeze$/m);
		await sendAndWait(r, keys.down, '› Freeze cmd');
		await sendAndWait(r, keys.down, '› Thaw cmd');
		frame = await sendAndWait(r, 'echo thaw', 'Thaw cmd needs Freeze cmd');
		expect(frame).toContain('--thaw-cmd: unblocks them after stage 4');
		expect(frame).toMatch(/✖ fix Thaw cmd in Options above/); // The Checks line names the row to fix.
		expect(frame).not.toContain('fix the fields above');
		r.stdin.write(keys.enter);
		await sendAndWait(r, keys.up, '› Freeze cmd');
		await sendAndWait(r, 'echo freeze', 'ready: Enter starts');
		// A bad freeze timeout and a wildcard exclude: refused with the engine's sentences.
		r.stdin.write(keys.down);
		await sendAndWait(r, keys.down, '› Freeze max');
		await sendAndWait(r, '0', 'The freeze timeout must be a number of seconds above 0');
		await sendAndWait(r, keys.backspace, 'ready: Enter starts');
		// PgDn jumps group by group; the last group, Excludes, holds Exclude.
		for (let i = 0; i < 5; i++) r.stdin.write(keys.pageDown);
		await waitForFrame(r, '› Exclude');
		await sendAndWait(r, 'logs/*', 'is a pattern');
		r.stdin.write(keys.backspace);
		await sendAndWait(r, keys.backspace, 'ready: Enter starts');
		expect(engine.callsTo('backup')).toHaveLength(0);
		await sendAndWait(r, keys.enter, 'Backup Progress');
		expect(engine.callsTo('backup')[0]![0]).toMatchObject({freezeCmd: 'echo freeze', thawCmd: 'echo thaw', exclude: ['logs']});
	});

	it('Force lets a backup start without enough free space, as --force does', async () => {
		const engine = new FakeEngine();
		const r = await openCreate(engine);
		// A target on the fake's full disk: refused until Force is ticked.
		r.stdin.write(ctrl('u'));
		const short = await sendAndWait(r, 'full-disk.zip', 'Not enough space at the target');
		expect(short).toMatch(/✖ not enough free space at the target: free some, pick\s+another\s+target, or\s+tick\s+Force\s+in\s+Options/);
		r.stdin.write(keys.enter);
		for (const key of [keys.tab, keys.tab]) r.stdin.write(key);
		await waitForFrame(r, '› Options');
		await sendAndWait(r, ' ', 'Freeze cmd');
		for (let i = 0; i < 7; i++) r.stdin.write(keys.down);
		await waitForFrame(r, '› [ ] Force');
		await sendAndWait(r, ' ', frame => frame.includes('[x] Force') && frame.includes('ready: Enter starts'));
		expect(engine.callsTo('backup')).toHaveLength(0);
		await sendAndWait(r, keys.enter, 'Backup Progress');
		expect(engine.callsTo('backup')[0]![0]).toMatchObject({target: {path: '/opt/full-disk.zip'}, force: true});
	});

	it('an existing zip named on purpose is replaced only once Force is ticked, and the Checks line says so', async () => {
		const engine = new FakeEngine();
		const r = await openCreate(engine);
		r.stdin.write(ctrl('u'));
		const exists = await sendAndWait(r, 'existing.zip', 'the target zip exists');
		expect(exists).toMatch(/✖ the target zip exists: pick another name, or tick Force\s+in\s+Options\s+to\s+replace it/);
		r.stdin.write(keys.enter);
		for (const key of [keys.tab, keys.tab]) r.stdin.write(key);
		await waitForFrame(r, '› Options');
		await sendAndWait(r, ' ', 'Freeze cmd');
		for (let i = 0; i < 7; i++) r.stdin.write(keys.down);
		await waitForFrame(r, '› [ ] Force');
		await sendAndWait(r, ' ', frame => frame.includes('[x] Force') && frame.includes('ready: Enter starts'));
		expect(engine.callsTo('backup')).toHaveLength(0);
		await sendAndWait(r, keys.enter, 'Backup Progress');
		expect(engine.callsTo('backup')[0]![0]).toMatchObject({target: {path: '/opt/existing.zip'}, force: true});
	});
});

describe('text fields', () => {
	it('typing into an untouched default replaces it (0 then 5 is 5, not 05)', async () => {
		const engine = new FakeEngine();
		const r = await openCreate(engine);
		await sendAndWait(r, keys.tab, '› Delay');
		const typed = await sendAndWait(r, '5', 'MiB × ms ÷ 2 = seconds: 200 × 5 ÷ 2 ≈ 8 min 20 s');
		expect(typed).toMatch(/› Delay\s+5\s+ms/);
		// The target, too: typing a name replaces the suggested one.
		// One key per write: several keys in one chunk are tui-core's part (test/ui/key-chunks.test.tsx).
		await sendAndWait(r, keys.tab, '› Options');
		await sendAndWait(r, keys.tab, '› Target');
		const frame = await sendAndWait(r, 'nightly.zip', '→ /opt/nightly.zip');
		expect(frame).not.toContain('backup-20250302-0930');
	});

	it('Home/End, Ctrl+A/E move; Ctrl+W erases a word, Ctrl+U everything before the cursor', async () => {
		const engine = new FakeEngine();
		const r = await openCreate(engine);
		r.stdin.write(ctrl('u'));
		await sendAndWait(r, 'backups/nightly.zip', '→ /opt/backups/nightly.zip');
		await sendAndWait(r, ctrl('w'), '→ /opt/backups/');
		await sendAndWait(r, 'a.zip', '→ /opt/backups/a.zip');
		r.stdin.write(keys.home);
		await sendAndWait(r, 'x', '→ /opt/xbackups/a.zip');
		r.stdin.write(keys.end);
		await sendAndWait(r, 'z', '→ /opt/xbackups/a.zipz');
		r.stdin.write(ctrl('a'));
		r.stdin.write(keys.right);
		await sendAndWait(r, ctrl('u'), '→ /opt/backups/a.zipz');
		r.stdin.write(ctrl('e'));
		await sendAndWait(r, keys.backspace, '→ /opt/backups/a.zip');
	});
});
