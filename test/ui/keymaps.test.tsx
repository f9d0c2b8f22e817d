import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {barText, keysText} from '../../source/ui/components/key-bar.js';
import {helpSections, keymaps, type Keymap, type KeymapName} from '../../source/ui/keymaps.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, waitForFrame, type Rendered} from '../support/render.js';

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

function open(engine: FakeEngine) {
	rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} />, {columns: 80, rows: 24});
	return rendered;
}

/** The key bar: the frame's last non-empty line. */
const barOf = (frame: string) => frame.trimEnd().split('\n').at(-1)!.trim();
/** Whitespace collapsed: the help wraps its lines at spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const expectedBar = (keymap: Keymap, unbound: string[] = []) => keymap.filter(entry => !entry.hidden && !entry.keys.some(name => unbound.includes(name))).map(barText).join('  ');

describe('keymaps', () => {
	it('every keymap is in a help section', () => {
		const inHelp = new Set(helpSections.flatMap(section => section.maps));
		expect((Object.keys(keymaps) as KeymapName[]).filter(name => name !== 'help' && !inHelp.has(name))).toEqual([]);
	});

	it('the help shows every described entry of every keymap, from the keymap', async () => {
		const r = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		const raw = await sendAndWait(r, '?', 'Everywhere');
		// Fits 80×24 with the key bar; the current screen's section comes first; the rest scrolls (PgDn).
		expect(raw.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
		expect(raw.split('\n')[2]).toBe('Home (this screen)');
		let all = raw;
		const atEnd = (frame: string) => /lines \d+–(\d+) of \1\b/.test(frame);
		for (let page = 0, last = raw; page < 5 && !atEnd(last); page++) all += last = await sendAndWait(r, keys.pageDown, frame => !all.includes(frame));
		const frame = flat(all);
		for (const {title, maps} of helpSections) {
			expect(frame).toContain(title);
			for (const entry of maps.flatMap(name => keymaps[name])) {
				if (entry.description) expect(frame).toContain(`${keysText(entry.keys)} ${entry.description}`);
			}
		}
		expect(barOf(raw)).toBe(expectedBar(keymaps.help));
	});

	it('each screen draws its key bar from its keymap', async () => {
		const engine = new FakeEngine({records: [fakeRecord('backup-20250301-1000.zip')], holdVerify: true});
		const r = open(engine);
		// Home before any backup: p (progress) is not bound, so not shown.
		expect(barOf(await waitForFrame(r, 'Create backup'))).toBe(expectedBar(keymaps.home, ['progress']));
		// The Target has focus: the bar says first that letters are text there.
		expect(barOf(await sendAndWait(r, 'c', 'ready: Enter starts'))).toBe(expectedBar(keymaps.createTyping));
		expect(barOf(await sendAndWait(r, keys.escape, 'Create backup'))).toBe(expectedBar(keymaps.home, ['progress']));
		expect(barOf(await sendAndWait(r, 'b', 'Status'))).toBe(expectedBar(keymaps.backups));
		expect(barOf(await sendAndWait(r, 'd', '[y/N]'))).toBe(expectedBar(keymaps.confirm));
		await sendAndWait(r, 'n', frame => !frame.includes('[y/N]'));
		expect(barOf(await sendAndWait(r, 'v', 'Verifying'))).toBe(expectedBar(keymaps.verifying));
		engine.release();
		await waitForFrame(r, 'Intact');
		expect(barOf(await sendAndWait(r, 'r', 'Restore 2/5'))).toBe(expectedBar(keymaps.restoreDestination));
	});
});
