import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, jobFailed, sizes, keysLive, tmuxCases, tmuxSkip, waitForTui} from '../support/tmux-flows.js';

/**
 * Ctrl+C in a real terminal, at 80×24 and 60×20. One stray Ctrl+C cancelled a
 * running backup and quit without a word (and in the demo deleted every backup it
 * had made). Now it asks what `q` asks; a second one within two seconds (here: in
 * the same write) forces it. On Home with nothing running it quits, but the demo
 * asks before deleting its folder.
 */
const {folder, startTui} = tmuxCases();

const running = (frame: string) => frame.startsWith('crx-backup › Backup Progress') && !jobFailed.test(frame) && !frame.includes('Backup complete');

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI Ctrl+C (tmux)', () => {
	it.each(sizes)('at $columns×$rows: Ctrl+C during a backup asks; n goes on; Ctrl+C twice cancels it and quits with 130', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-ctrlc-');
		const {install} = makeInstall(root);
		// A throttle of seconds per MiB: the backup is still running whatever the machine's speed.
		const run = startTui(size, root, ['--repo', install, '--target', 'slow.zip', '--delay', '5000']);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(tty);
		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');
		await tty.waitForScreen(running);

		tty.send('C-c');
		const ask = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit') && frame.includes('Cancel it and quit?'));
		expect(ask).toMatch(/Ctrl\+C\s+again:\s+yes,\s+at\s+once/);
		expect(tty.pane().dead).toBe(false);
		tty.send('n');
		await tty.waitForScreen(running);
		expect(tty.pane().dead).toBe(false);

		tty.send('C-c', 'C-c');
		expect(await exitStatus(run, 30_000)).toBe(130);
		// Cancelled: no zip, nothing that looks like a finished backup.
		expect(fs.existsSync(path.join(root, 'slow.zip'))).toBe(false);
		expectCleanFrames(tty, size);
	});

	it.each(sizes)('at $columns×$rows: on Home with nothing running Ctrl+C quits with 0', {timeout: 60_000}, async size => {
		const root = folder('crx-e2e-ctrlc-home-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		await run.tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(run.tty);
		run.tty.send('C-c');
		expect(await exitStatus(run)).toBe(0);
	});

	it.each(sizes)('at $columns×$rows: in the demo Ctrl+C on Home asks before deleting its folder; twice deletes it', {timeout: 120_000}, async size => {
		const root = folder('crx-e2e-ctrlc-demo-');
		const run = startTui(size, root, ['--demo'], {CRX_BACKUP_DEMO_MIB: '3'});
		const {tty} = run;
		await waitForTui(tty);
		await tty.waitForScreen('crx-backup › Home', 60_000);
		await keysLive(tty);
		tty.send('C-c');
		const ask = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit') && frame.includes('Quit the demo?'));
		const demoFolder = /The demo folder\s+(\S+)/.exec(ask)?.[1];
		expect(demoFolder, ask).toMatch(/crx-backup-demo-/);
		tty.send('n');
		await tty.waitForScreen('crx-backup › Home');
		expect(fs.existsSync(demoFolder!)).toBe(true);
		tty.send('C-c', 'C-c');
		expect(await exitStatus(run, 30_000)).toBe(0);
		expect(fs.existsSync(demoFolder!)).toBe(false);
	});
});
