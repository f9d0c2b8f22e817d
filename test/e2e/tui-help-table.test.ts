import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * Help at 80×24 and 60×20: it was run-on prose ("c create backup · b backups ·
 * …"). It is a table of key | action per screen, the actions lined up in one
 * column, drawn from the keymaps.
 */
const {folder, startTui} = tmuxCases();

/** The column an action starts at, on the row that holds `key` and then `action`. */
function actionColumn(frame: string, key: string, action: string): number {
	const row = rowsOf(frame).find(line => new RegExp(`^ {2}${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2,}${action}`).test(line));
	expect(row, `a row "${key} | ${action}" in\n${frame}`).toBeDefined();
	return row!.indexOf(action);
}

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI help table (tmux)', () => {
	it.each(sizes)('at $columns×$rows: Help is a key | action table per screen, the current one first', {timeout: 60_000}, async size => {
		const root = folder('crx-e2e-help-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('?');
		const home = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Help') && frame.includes('Home (this screen)'));
		const column = actionColumn(home, 'c', 'create backup');
		expect(actionColumn(home, 'b', 'backups')).toBe(column);
		expect(actionColumn(home, 'r', 'restore')).toBe(column);
		expect(home).not.toContain(' · ');
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');

		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup'));
		tty.send('?');
		const create = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Help') && frame.includes('Create Backup (this screen)'));
		const enter = actionColumn(create, 'Enter', 'starts when the checks pass');
		expect(actionColumn(create, 'Tab', 'switch fields')).toBe(enter);
		expect(actionColumn(create, 'Ctrl+O', 'the backup method')).toBe(enter);
		expectCleanFrames(tty, size);
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup'));
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI help and log keep their screen (tmux)', () => {
	it.each(sizes)('at $columns×$rows: n in Help or the log does nothing; Esc goes back to the screen they were opened on, not Home', {timeout: 60_000}, async size => {
		const root = folder('crx-e2e-help-n-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('b');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups'));
		for (const [open, title] of [['?', 'Help'], ['l', 'Log']] as const) {
			tty.send(open);
			await tty.waitForScreen(frame => frame.startsWith(`crx-backup › ${title}`));
			// n and Esc in one write, as a fast typist sends them: n must not take the screen anywhere.
			tty.type('n\u001b');
			await tty.waitForScreen(frame => !frame.startsWith(`crx-backup › ${title}`));
			expect(tty.capture()).toMatch(/^crx-backup › Backups/);
		}
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});
