import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {exitStatus, expectCleanFrames, jobFailed, keysLive, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * Keys typed ahead of the checks, at 80×24 and 60×20: Enter pressed while the
 * Create form's checks (or the wizard's folder check) still run waits for them
 * and then acts on their verdict. It was dropped: `name.zip Tab 5 Enter` in one
 * write started nothing, and `Enter Enter` in the wizard stopped at step 2.
 */
const {folder, startTui} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI keys typed ahead of the checks (tmux)', () => {
	it.each(sizes)('at $columns×$rows: `name.zip Tab 5 Enter` in one write starts that backup once the checks pass', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-ahead-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(tty);
		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		// One write: the target over the selected default, Delay's 0 replaced by 5, Enter before the checks ran.
		tty.send(...'ahead.zip'.split(''), 'Tab', '5', 'Enter');
		const done = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress') && (/✔ Backup complete {2}100%/.test(frame) || jobFailed.test(frame)), 60_000);
		expect(done).toMatch(/✔ Backup complete {2}100%/);
		expect(fs.existsSync(path.join(root, 'ahead.zip'))).toBe(true);
		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});

	it.each(sizes)('at $columns×$rows: `r Enter Enter` in one write reaches the options step, and the restore runs', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-ahead-restore-');
		const {install} = makeInstall(root);
		const state = path.join(root, `state-${size.columns}`);
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'one.zip')], {env: {CRX_BACKUP_STATE_DIR: state}});
		expect(made.code, made.stderr).toBe(0);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(tty);
		// The list is still loading and the suggested folder not yet checked: both Enters wait, none is lost.
		tty.send('r', 'Enter', 'Enter');
		await tty.waitForScreen('crx-backup › Restore 3/5: options');
		// One step back: the folder is a text field, and its key bar says first that q and l are text there.
		tty.send('Escape');
		const folderStep = await tty.waitForScreen('crx-backup › Restore 2/5: destination folder');
		expect(rowsOf(folderStep).filter(row => row.trim() !== '').at(-1)).toMatch(/^a-z text, q l too {2}Enter next/);
		tty.send('Enter');
		await tty.waitForScreen('crx-backup › Restore 3/5: options');
		tty.send('Enter');
		await tty.waitForScreen('crx-backup › Restore 4/5: confirm');
		tty.send('Enter');
		await tty.waitForScreen(/✔ Restore complete {2}100%|Restore failed/, 60_000);
		expect(fs.existsSync(path.join(root, 'restored-one', 'crx-quickstart'))).toBe(true);
		expectCleanFrames(tty, size);
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
