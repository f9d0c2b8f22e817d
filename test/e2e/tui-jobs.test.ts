import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, keyBarOf as keyBar, selectRow, sizes, tmuxCases, tmuxSkip, wrappedText} from '../support/tmux-flows.js';

/**
 * End to end, at 80×24 and 60×20, around one running
 * directory backup (--delay 60000 keeps it running until it is cancelled):
 * `c` while it runs says why (it jumped to Progress without a word); `d` on its
 * row refuses at once (it asked, then refused); `q` asks with the quit
 * question's own key bar (it kept Home's); after `x` + `y` the row no longer says
 * "running" (the lock held the TUI's own pid) and nothing is deleted from disk.
 */
const {folder, startTui} = tmuxCases();


describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI with a job running (tmux)', () => {
	it.each(sizes)('at $columns×$rows: c, d and q while a backup runs; cancelled, it is no longer "running"', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-jobs-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install, '--target', 'slow', '--delay', '60000']);
		const {tty} = run;

		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		await tty.waitForScreen(frame => /› Target\s+slow$/m.test(frame) && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress') && keyBar(frame).startsWith('x cancel'));

		// Home while it runs; `c` says why instead of jumping to Progress.
		tty.send('Escape');
		// Newest names it with how far it is (its own line said so before the row did).
		await tty.waitForScreen(/^Newest\s+slow\s+… running \d+ %/m);
		tty.send('c');
		const refused = await tty.waitForScreen(wrappedText('A backup is already running, and one runs at a time: p shows its progress, x there cancels it.'));
		expect(refused.startsWith('crx-backup › Home')).toBe(true);

		// Its row says running; `d` refuses at once, without asking.
		tty.send('b');
		await tty.waitForScreen(/^[› ] slow\s+dir\s.*… running \d+ %$/m, 20_000);
		await selectRow(tty, 'slow', ['slow', 'AEM']);
		// Its details say it is still running, not that it "did not finish".
		const details = await tty.waitForScreen(wrappedText('Still running: the manifest is written when the backup finishes.'));
		expect(details).not.toContain('did not finish');
		tty.send('d');
		const noDelete = await tty.waitForScreen(wrappedText('a backup is still writing it'));
		expect(noDelete).not.toContain('[y/N]');

		// `q`: the question with its own key bar, not the screen's; `n` stays.
		tty.send('q');
		const ask = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit') && frame.includes('A job is running. Cancel it and quit?'));
		expect(keyBar(ask)).toBe('y yes, cancel and quit  n Esc Enter no, stay');
		tty.send('n');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && keyBar(frame).startsWith('↑/k ↓/j move'));

		// Progress, x, y: cancelled, and said once.
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		tty.send('p');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress') && keyBar(frame).startsWith('x cancel'));
		tty.send('x');
		await tty.waitForScreen(wrappedText('Cancel the backup? What was copied so far stays in the folder, marked in progress (incomplete).'));
		tty.send('y');
		const cancelled = await tty.waitForScreen(wrappedText('Backup cancelled: the folder is left marked in progress (incomplete); a backup into it again re-syncs it.'), 30_000);
		expect(cancelled.match(/Backup cancelled/g)).toHaveLength(1);

		// Enter: Backups, read again: the row is incomplete, not running; the folder is still there.
		tty.send('Enter');
		const after = await tty.waitForScreen(/^[› ] slow\s+dir\s.*✖ incomplete$/m, 20_000);
		expect(after).not.toMatch(/^[› ] slow\s.*running$/m);
		expect(fs.existsSync(path.join(root, 'slow', 'crx-quickstart'))).toBe(true);

		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
