import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {exitStatus, expectCleanFrames, focusRow, keysLive, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * The Create form's Checks line at 80×24 and 60×20: an option's refusal under its
 * field pushed it off the screen, and Enter then did nothing without a word. It
 * is always on screen, right above the key bar, and says why Enter will not start.
 */
const {folder, startTui} = tmuxCases();

/** The Checks line, on the row right above the key bar's margin (its sentence may wrap onto the rows below it). */
function checksLine(frame: string): string {
	const rows = rowsOf(frame);
	const at = rows.findIndex(row => row.startsWith('Checks'));
	expect(at, frame).toBeGreaterThan(0);
	return rows.slice(at, rows.length - 2).join(' ').replace(/\s+/g, ' ');
}

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI Checks line (tmux)', () => {
	it.each(sizes)('at $columns×$rows: with options refused the Checks line stays on screen and says why Enter will not start', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-checks-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(tty);
		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Tab', 'Tab', 'Space');
		await tty.waitForScreen(frame => frame.includes('› Options ▾'));

		// A thaw without a freeze, then an AEM URL and a bad AEM user: three refusals under their fields.
		await focusRow(tty, 'Thaw cmd');
		tty.type('echo thawed');
		await tty.waitForScreen(frame => /Thaw cmd\s+echo thawed/.test(frame) && /^Checks\s+✖/m.test(frame));
		for (const label of ['Freeze max', 'Exclude', 'Maint. win', 'Hook max', 'Keep last', 'Datastore']) {
			await focusRow(tty, label);
			if (label === 'Freeze max') tty.type('x');
			if (label === 'Maint. win') tty.type('25:00');
			const typed = label === 'Freeze max' ? /Freeze max\s+x/ : label === 'Maint. win' ? /Maint\. win\s+25:00/ : /./;
			const settled = await tty.waitForScreen(next => typed.test(next) && /^Checks\s+✖/m.test(next));
			expect(checksLine(settled), settled).toMatch(/^Checks ✖ fix \S+/);
		}
		// Enter does nothing, and the line says why.
		tty.send('Enter');
		const still = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && /^Checks\s+✖ fix/m.test(frame));
		expect(rowsOf(still)).toHaveLength(size.rows);
		expectCleanFrames(tty, size);
		// Separate writes: two Escs in one would arrive as Alt+Esc.
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.includes('Options ▸'));
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
