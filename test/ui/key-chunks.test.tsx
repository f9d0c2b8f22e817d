import {afterEach, describe, expect, it} from 'vitest';
import {App, type AppProps} from '../../source/ui/app.js';
import {splitKeys, keyOfChar} from '../../source/ui/input/split-keys.js';
import {colourTheme} from '../../source/ui/theme.js';
import {FakeEngine, fakeRecord, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, waitForFrame, type Rendered} from '../support/render.js';

/**
 * Every key of a chunk counts, in order, across screen changes;
 * and the keys operators expect (q everywhere, list paging, `/`, `l`, `?`).
 * Each chunk goes to stdin in ONE write, as a fast typist, a paste or SSH delivers it.
 */

let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

function open(engine: FakeEngine, props: Partial<AppProps> = {}, size = {columns: 80, rows: 24}) {
	const quit: {code?: number; summary?: string} = {};
	rendered = renderAt(<App engine={engine} repository={fakeRepository} theme={colourTheme} onQuit={(code, summary) => Object.assign(quit, {code, summary})} {...props} />, size);
	return {r: rendered, quit};
}

const many = Array.from({length: 30}, (_, index) => fakeRecord(`backup-202503${String(index + 1).padStart(2, '0')}-1000.zip`, {created: `2025-03-${String(index + 1).padStart(2, '0')}T10:00:00.000Z`}));
/** The selected table row's name. */
const selectedRow = (frame: string) => /^› (\S+)/m.exec(frame)?.[1];

describe('splitKeys', () => {
	it('splits a run of characters into keys: text, Tab, Enter, Backspace, Ctrl', () => {
		const plain = splitKeys('x', keyOfChar('x').key);
		expect(plain).toEqual([{input: 'x', key: keyOfChar('x').key}]);
		const split = splitKeys('b\t\r\u007F\u0001G', keyOfChar('b').key).map(({input, key}) => [input, key.tab, key.return, key.delete, key.ctrl, key.shift]);
		expect(split).toEqual([['b', false, false, false, false, false], ['', true, false, false, false, false], ['\r', false, true, false, false, false], ['', false, false, true, false, false], ['a', false, false, false, true, false], ['G', false, false, false, false, true]]);
	});
});

describe('keys in one chunk', () => {
	it('jjj moves the Home menu three rows, kk back two', async () => {
		const {r} = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'jjj', '› q  Quit');
		await sendAndWait(r, 'kk', '› b  Backups');
	});

	it('bd opens Backups and asks to delete there (the d goes to the new screen)', async () => {
		const {r} = open(new FakeEngine({records: [fakeRecord('backup-20250301-1000.zip')]}));
		await waitForFrame(r, frame => frame.includes('Create backup') && frame.includes('backup-20250301-1000.zip'));
		const frame = await sendAndWait(r, 'bd', 'Delete backup-20250301-1000.zip? [y/N]');
		expect(frame).toContain('crx-backup › Backups');
	});

	it('text then Tab in one chunk: the text goes to the field, Tab moves on', async () => {
		const {r} = open(new FakeEngine());
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		const erase = keys.backspace.repeat('backup-20250302-0930.zip'.length);
		const frame = await sendAndWait(r, `${erase}nightly2${keys.tab}`, frame => /› Delay/.test(frame));
		expect(frame).toMatch(/Target\s+nightly2\s*$/m);
	});
});

describe('lists, help, log and quit', () => {
	it('Backups pages with PgDn/PgUp, jumps with G/g and Home/End, and fills the terminal height', async () => {
		const {r} = open(new FakeEngine({records: many}), {}, {columns: 80, rows: 30});
		await waitForFrame(r, 'Create backup');
		let frame = await sendAndWait(r, 'b', 'Status');
		expect(selectedRow(frame)).toBe('backup-20250330-1000.zip');
		// 30 rows: the table shows 15 of them (it was 6), every row the screen has left.
		expect(frame).toContain('1–15 of 30');
		frame = await sendAndWait(r, keys.pageDown, '2–16 of 30');
		expect(selectedRow(frame)).toBe('backup-20250315-1000.zip');
		frame = await sendAndWait(r, 'G', '› backup-20250301-1000.zip');
		frame = await sendAndWait(r, 'g', '› backup-20250330-1000.zip');
		frame = await sendAndWait(r, keys.end, '› backup-20250301-1000.zip');
		frame = await sendAndWait(r, keys.home, '› backup-20250330-1000.zip');
		frame = await sendAndWait(r, keys.pageDown + keys.pageUp, '1–15 of 30');
		expect(selectedRow(frame)).toBe('backup-20250330-1000.zip');
	});

	it('/ filters the Backups list by name as you type; Esc clears it', async () => {
		const {r} = open(new FakeEngine({records: many}));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'b', 'Status');
		// "d" and "q" are text here, not delete and quit.
		let frame = await sendAndWait(r, '/0312', '(1 of 30)');
		expect(selectedRow(frame)).toBe('backup-20250312-1000.zip');
		frame = await sendAndWait(r, `${keys.backspace}dq`, '(0 of 30)');
		expect(frame).toContain('/ 031dq');
		frame = await sendAndWait(r, keys.escape, frame => !frame.includes('of 30)'));
		expect(selectedRow(frame)).toBe('backup-20250330-1000.zip');
	});

	it('q quits from Backups at once when no job runs, with a summary line', async () => {
		const {r, quit} = open(new FakeEngine({records: many}));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'b', 'Status');
		r.stdin.write('q');
		await r.waitUntilExit();
		expect(quit).toEqual({code: 0, summary: 'crx-backup: nothing done.'});
	});

	it('q while a backup runs asks with its own y/n bar; n stays, y cancels and quits', async () => {
		const engine = new FakeEngine({holdAfter: 3});
		const {r, quit} = open(engine);
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		await sendAndWait(r, keys.enter, 'Backup Progress');
		let frame = await sendAndWait(r, 'q', 'A job is running. Cancel it and quit? [y/N]');
		expect(frame.trimEnd().split('\n').at(-1)).toBe('y yes, cancel and quit  n Esc Enter no, stay');
		expect(frame).not.toContain('c create');
		frame = await sendAndWait(r, 'n', 'Backup Progress');
		await sendAndWait(r, 'q', 'Cancel it and quit?');
		r.stdin.write('y');
		await r.waitUntilExit();
		expect(quit.code).toBe(0);
		expect(quit.summary).toBe('crx-backup: 1 backup failed or cancelled; last: backup cancelled, /opt/backup-20250302-0930.zip.');
	});

	it('? shows the current screen\'s help first; l shows the last job\'s stages', async () => {
		const {r} = open(new FakeEngine({records: many}));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'b', 'Status');
		let frame = await sendAndWait(r, '?', 'Backups (this screen)');
		expect(frame.split('\n')[2]).toBe('Backups (this screen)');
		await sendAndWait(r, keys.escape, '› backup-20250330-1000.zip');
		frame = await sendAndWait(r, 'l', 'crx-backup › Log');
		expect(frame).toContain('No job has run yet.');
		await sendAndWait(r, keys.escape, '› backup-20250330-1000.zip');
		await sendAndWait(r, 'v', 'Intact');
		frame = await sendAndWait(r, 'l', 'crx-backup › Log');
		expect(frame).toContain('Verify /opt/backup-20250330-1000.zip: done');
	});
});
