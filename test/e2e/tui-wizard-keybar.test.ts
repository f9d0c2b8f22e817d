import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, jobFailed, keyBarOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * The key bar keeps "? help" and "q quit" wherever q quits: the restore wizard's steps without a
 * text field and its end (and, by the same keymaps, its progress and a running verify) said "? help" only, though q quit there
 * (at once on step 1 with nothing running).
 */
const {folder, startTui} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI wizard key bar (tmux)', () => {
	it.each(sizes)('at $columns×$rows: the restore steps without a text field and its end say q quit', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-wizard-bar-');
		const {install} = makeInstall(root);
		const state = path.join(root, `state-${size.columns}`);
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'good.zip')], {env: {CRX_BACKUP_STATE_DIR: state}});
		expect(made.code, made.stderr).toBe(0);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);

		tty.send('r');
		const choose = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 1/5') && /^› good\.zip\s/m.test(frame));
		expect(keyBarOf(choose)).toMatch(/\? help {2}q quit$/);
		tty.send('Enter');
		const destination = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 2/5') && frame.includes('✔ a new folder'));
		// A text field: q is text there, and the bar says so instead.
		expect(keyBarOf(destination)).toMatch(/text, q l too/);
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 3/5'));
		tty.send('Enter');
		const confirm = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore 4/5'));
		expect(keyBarOf(confirm)).toMatch(/\? help {2}q quit$/);
		tty.send('Enter');
		const done = await tty.waitForScreen(frame => /Restored|restored/.test(frame) && keyBarOf(frame).startsWith('Enter done'), 30_000, jobFailed);
		expect(keyBarOf(done)).toMatch(/\? help {2}q quit$/);
		expect(fs.existsSync(path.join(root, 'restored-good'))).toBe(true);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI Create form key bar off a text field (tmux)', () => {
	it.each(sizes)('at $columns×$rows: on the Options row the bar says q quit, and q quits', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-create-bar-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		// Target, Delay, then the Options row: no text field has the focus.
		tty.send('Tab', 'Tab');
		const options = await tty.waitForScreen(/^› Options ▸/m);
		expect(keyBarOf(options)).toMatch(/\? help {2}q quit$/);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI Backups filter key bar (tmux)', () => {
	it.each(sizes)('at $columns×$rows: typing a filter, the bar says q is text and ? help (? opens it there)', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-filter-bar-');
		const {install} = makeInstall(root);
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'good.zip')], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state-cli')}});
		expect(made.code, made.stderr).toBe(0);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('b');
		await tty.waitForScreen(/^› good\.zip\s/m);
		tty.type('/q');
		const filter = await tty.waitForScreen(/^\/ q/m);
		expect(keyBarOf(filter)).toMatch(/^a-z text, q l too .*\? help$/);
		tty.type('?');
		await tty.waitForScreen('crx-backup › Help');
		tty.send('Escape');
		await tty.waitForScreen(/^\/ q/m);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI Help and Log key bars (tmux)', () => {
	it.each(sizes)('at $columns×$rows: Help and the log say q quit (q quits from both)', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-help-bar-');
		const {install} = makeInstall(root);
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('l');
		const log = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Log'));
		expect(keyBarOf(log)).toMatch(/q quit$/);
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('?');
		const help = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Help'));
		expect(keyBarOf(help)).toMatch(/q quit$/);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});
