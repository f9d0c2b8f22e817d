import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {exitStatus, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * The Create form's words about an existing zip and the maintenance window. The Checks line
 * said "the target zip exists (below)" though it sits at the bottom, under every check (at
 * 60×20 the row it meant is not even on screen); the Window row told a TUI user to "set the
 * window with --maintenance-window". The clock is set (CRX_BACKUP_NOW, TZ) inside the default window.
 */
const {folder, startTui} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI Checks words (tmux)', () => {
	it.each(sizes)('at $columns×$rows: an existing zip is named without "(below)", and the window row names the field, not a flag', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-checks-words-');
		const {install} = makeInstall(root);
		// The suite turns the window off (CRX_BACKUP_MAINTENANCE_WINDOW=none); '' gives back the default, 02:00–05:00.
		const env = {TZ: 'UTC', CRX_BACKUP_NOW: '2026-12-08T03:00:00Z', CRX_BACKUP_MAINTENANCE_WINDOW: ''};
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'taken.zip')], {env: {...env, CRX_BACKUP_STATE_DIR: path.join(root, 'state-cli')}});
		expect(made.code, made.stderr).toBe(0);
		const run = startTui(size, root, ['--repo', install, '--target', 'taken.zip'], env);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		const frame = await tty.waitForScreen(/^Checks\s+✖ the target zip exists/m);
		const rows = rowsOf(frame);
		const checks = rows.slice(rows.findIndex(row => row.startsWith('Checks')), rows.length - 2).join(' ');
		expect(checks).not.toContain('below');
		expect(checks).toMatch(/tick\s+Force\s+in\s+Options/);

		// Tall enough for every row of the checks: the window's warning names the field to set.
		tty.resize(120, 40);
		// The whole warning, to its last words (right after the resize the old frame's cut rows are still there).
		const tall = await tty.waitForScreen(/^Window\s+⚠[^]*or\s+none\./m);
		const windowRows = tall.slice(tall.indexOf('Window'), tall.indexOf('Checks'));
		expect(windowRows).not.toMatch(/--[a-z]/);
		expect(windowRows).toMatch(/Maint\.\s+win\s+in\s+Options/);
		tty.send('Escape');
		await tty.waitForScreen('crx-backup › Home');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
