import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {exitStatus, expectCleanFrames, keysLive, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * Keys in a text field, at 80×24 and 60×20: `l` and `q` are text there (Help said
 * they work everywhere, and nothing on screen said otherwise). The key bar says
 * first that a text field takes them, and Esc leaves; on a row that is not a
 * text field `l` opens the log again.
 */
const {folder, startTui} = tmuxCases();

/** The key bar: the last row drawn (the frame may leave the terminal's last row blank). */
const keyBar = (frame: string) => rowsOf(frame).filter(row => row.trim() !== '').at(-1) ?? '';

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI text field keys (tmux)', () => {
	it.each(sizes)('at $columns×$rows: the key bar says a text field takes q and l; off it, l opens the log', {timeout: 60_000}, async size => {
		const root = folder('crx-e2e-text-keys-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(tty);
		tty.send('c');
		const create = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		expect(keyBar(create)).toMatch(/^a-z text, q l too {2}Enter start/);
		tty.type('ql.zip');
		await tty.waitForScreen(frame => /› Target\s+ql\.zip$/m.test(frame) && frame.includes('✔ ready: Enter starts the backup'));
		// Tab, Tab: the Options header, no text field: the bar no longer says so, and l is the log.
		tty.send('Tab', 'Tab');
		const header = await tty.waitForScreen(frame => /^› Options/m.test(frame));
		expect(keyBar(header)).not.toContain('a-z');
		tty.send('l');
		await tty.waitForScreen('crx-backup › Log');
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup'));
		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
