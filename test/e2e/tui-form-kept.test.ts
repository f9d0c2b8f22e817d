import {describe, expect, it} from 'vitest';
import {exitStatus, expectCleanFrames, onCreate, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * The Create form at 80×24 and 60×20: Esc in the open Options section threw the
 * whole form away (back to Home, every field empty on the next `c`). Now Esc
 * closes Options first, and the form keeps its values while the TUI runs.
 */
const {openCreateOnInstall} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI form kept (tmux)', () => {
	it.each(sizes)('at $columns×$rows: Esc closes Options, a second Esc goes Home, and `c` finds the form as it was', {timeout: 60_000}, async size => {
		const run = await openCreateOnInstall(size, 'crx-e2e-kept-');
		const {tty} = run;
		tty.send(...'kept.zip'.split(''), 'Tab', '7', 'Tab', 'Space');
		await tty.waitForScreen(frame => frame.includes('› Options ▾'));
		// G on the header: the last option, Exclude.
		tty.send('G');
		await tty.waitForScreen(frame => /› Exclude/.test(frame));
		tty.type('logs');
		await tty.waitForScreen(frame => /› Exclude\s+logs/.test(frame));

		tty.send('Escape');
		const closed = await tty.waitForScreen(frame => onCreate(frame) && frame.includes('› Options ▸ writes not blocked · 1 excluded'));
		expect(closed).toMatch(/Target\s+kept\.zip/);
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('c');
		const again = await tty.waitForScreen(frame => onCreate(frame) && frame.includes('✔ ready: Enter starts the backup'));
		expect(again).toMatch(/Target\s+kept\.zip/);
		expect(again).toMatch(/Delay\s+7\s+ms/);
		expect(again).toContain('1 excluded');
		expectCleanFrames(tty, size);
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
