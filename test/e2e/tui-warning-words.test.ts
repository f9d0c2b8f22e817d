import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {exitStatus, expectCleanFrames, jobFailed, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * A backup's warnings in the TUI, after it and in the log: they named CLI flags ("No --freeze-cmd:
 * stage 4 runs…", "set the window with --maintenance-window") to someone who sets fields. They
 * name the fields, as the form does. The clock is set (CRX_BACKUP_NOW, TZ) inside the default window.
 */
const {folder, startTui} = tmuxCases();
const flag = /--[a-z]/;

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI warning words (tmux)', () => {
	it.each(sizes)('at $columns×$rows: the summary and the log name fields, not flags, in a backup\'s warnings', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-warning-words-');
		const {install} = makeInstall(root);
		const env = {TZ: 'UTC', CRX_BACKUP_NOW: '2026-12-08T03:00:00Z', CRX_BACKUP_MAINTENANCE_WINDOW: ''};
		const run = startTui(size, root, ['--repo', install, '--target', 'warned.zip'], env);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');
		const done = await tty.waitForScreen(/✔ Backup complete/, 60_000, jobFailed);
		expect(done).toMatch(/⚠/);
		expect(done).not.toMatch(flag);
		tty.send('l');
		const top = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Log') && frame.includes('Backup '));
		// At 60×20 the log scrolls: its end (G) holds the last warnings.
		tty.send('G');
		const end = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Log') && /⚠ No\s+Freeze\s+cmd/.test(frame));
		const log = `${top}\n${end}`;
		expect(log).toMatch(/Maint\.\s+win/);
		expect(log).not.toMatch(flag);
		tty.send('Escape');
		await tty.waitForScreen(/✔ Backup complete/);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});
