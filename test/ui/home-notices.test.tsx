import {afterEach, describe, expect, it} from 'vitest';
import {App} from '../../source/ui/app.js';
import {editText, textValue, defaultValue} from '../../source/ui/state/text-edit.js';
import {shellQuote} from '../../source/words/shell-quote.js';
import {FakeEngine, fakeRepository} from '../support/fake-engine.js';
import {keys, renderAt, sendAndWait, waitForFrame, type Rendered} from '../support/render.js';

/** Quitting the demo names the folder it deletes, and the demo's datastore GC key, with a fake engine. */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

describe('Home', () => {
	it('c during a backup says why it starts no second one, and stays', async () => {
		const engine = new FakeEngine({holdAfter: 6});
		const r = (rendered = renderAt(<App engine={engine} repository={fakeRepository} />));
		await waitForFrame(r, 'Create backup');
		await sendAndWait(r, 'c', 'ready: Enter starts');
		await sendAndWait(r, keys.enter, 'Backup Progress');
		await sendAndWait(r, keys.escape, 'A backup is running');
		const frame = await sendAndWait(r, 'c', 'A backup is already running, and one runs at a time');
		expect(frame).toContain('crx-backup › Home');
		expect(engine.callsTo('backup')).toHaveLength(1);
		engine.release();
	});

	it('in the demo, quitting asks first and says the demo folder and its backups go; g runs a datastore GC', async () => {
		let gcRuns = 0;
		const demo = {folder: '/tmp/crx-backup-demo-x', runDatastoreGc: async () => (gcRuns++, ['ab/cd/ef/abcdef', '12/34/56/123456'])};
		let quit: number | undefined;
		// 120 columns: the prompt is one line (wrapping long prompts is tui-core's part).
		const r = (rendered = renderAt(<App engine={new FakeEngine()} repository={fakeRepository} demo={demo} onQuit={code => (quit = code)} />, {columns: 120, rows: 30}));
		await waitForFrame(r, 'g datastore GC');
		await sendAndWait(r, 'g', 'Datastore GC deleted 2 unreferenced records');
		expect(gcRuns).toBe(1);
		const frame = await sendAndWait(r, 'q', '[y/N]');
		expect(frame.replace(/\s+/g, ' ')).toContain('The demo folder /tmp/crx-backup-demo-x and its backups are deleted.');
		expect(quit).toBeUndefined();
		r.stdin.write('y');
		await r.waitUntilExit();
		expect(quit).toBe(0);
	});
});

describe('text edits and shell quoting (pure)', () => {
	it('a selected default is replaced by typing and cleared by an eraser; a move keeps it', () => {
		expect(editText(defaultValue('0'), {type: 'insert', text: '5'})).toEqual({text: '5', cursor: 1});
		expect(editText(defaultValue('backup.zip'), {type: 'erase'})).toEqual({text: '', cursor: 0});
		expect(editText(defaultValue('backup.zip'), {type: 'home'})).toEqual({text: 'backup.zip', cursor: 0});
		expect(editText(defaultValue('ab'), {type: 'right'})).toEqual({text: 'ab', cursor: 2});
		expect(editText(textValue('/opt/aem/x'), {type: 'eraseWord'})).toEqual({text: '/opt/aem/', cursor: 9});
		expect(editText(textValue('/opt/aem/'), {type: 'eraseWord'})).toEqual({text: '/opt/', cursor: 5});
		expect(editText({text: 'abcd', cursor: 2}, {type: 'eraseLine'})).toEqual({text: 'cd', cursor: 0});
		expect(editText(textValue('x'), {type: 'selectAll'})).toEqual({text: 'x', cursor: 1, selected: true});
	});

	it('quotes a path for the shell only when it needs it', () => {
		expect(shellQuote('/srv/aem/restored')).toBe('/srv/aem/restored');
		expect(shellQuote('/srv/aem restore')).toBe(`'/srv/aem restore'`);
		expect(shellQuote(`/srv/it's`)).toBe(`'/srv/it'\\''s'`);
	});
});
