import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {runCli} from '../support/cli.js';
import {expectCleanFrames, exitStatus, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * Backups cuts a name too wide for its column at the prefix it shares. One folder
 * named otherwise beside the dated zips (a directory backup "manual") left no
 * prefix shared by every row, so every zip was cut in the middle and at 60 columns
 * two rows read the same ("back…0.zip"); one sharing their stem ("backup-manual")
 * left only "backup-", and they read "…20261….zip" alike. Each keeps its time.
 */
const {folder, startTui} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI narrow names beside another name (tmux)', () => {
	it.each(sizes)('at $columns×$rows: dated zips beside a folder named otherwise still read apart', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-narrow-');
		const {install} = makeInstall(root);
		// Default-style names, given explicitly so no clock decides them, and a directory backup named by hand.
		const names = ['backup-20261206-2300.zip', 'backup-20261207-0119.zip', 'backup-20261207-0230.zip', 'manual', 'backup-manual'];
		for (const name of names) {
			const made = await runCli(['backup', '--repo', install, '--target', path.join(root, name)], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state-cli')}});
			expect(made.code, made.stderr).toBe(0);
		}
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('b');
		const frame = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && (frame.match(/ zip /g) ?? []).length === 3 && (frame.match(/ dir /g) ?? []).length === 2);
		const cells = frame.split('\n').filter(row => /^[› ] \S+\s+zip /.test(row)).map(row => /^[› ] (\S+)/.exec(row)![1]!);
		expect(cells, frame).toHaveLength(3);
		expect(new Set(cells).size, frame).toBe(3);
		// Each keeps the part that tells it apart: its time and .zip.
		for (const name of names.slice(0, 3)) expect(cells.some(cell => cell.endsWith(name.slice(-8))), `${name} in ${cells.join(', ')}`).toBe(true);
		expect(frame).toMatch(/^[› ] manual\s+dir /m);
		expect(frame).toMatch(/^[› ] (?:backup-manual|…manual)\s+dir /m);
		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
