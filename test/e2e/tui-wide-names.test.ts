import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {columnsOf} from '../../source/ui/columns.js';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * A backup named in Japanese (two columns a character): Backups padded its cell by UTF-16
 * length, so the row ran past the terminal and Ink cut its other cells ("294.8 Ki", "02:2").
 * Each row keeps to the terminal, its size and time whole.
 */
const {folder, startTui} = tmuxCases();
const wideName = 'バックアップ夜間バックアップ夜間-20261207.zip';

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI wide-character names (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a name in wide characters keeps its row to the terminal and its cells whole', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-wide-');
		const {install} = makeInstall(root);
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'good.zip')], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state-cli')}});
		expect(made.code, made.stderr).toBe(0);
		fs.copyFileSync(path.join(root, 'good.zip'), path.join(root, wideName));
		const run = startTui(size, root, ['--repo', install]);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('b');
		const frame = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && (frame.match(/ zip /g) ?? []).length === 2);
		const tableRows = rowsOf(frame).filter(row => / zip /.test(row));
		for (const row of tableRows) {
			expect(columnsOf(row), row).toBeLessThanOrEqual(size.columns);
			expect(row, frame).toMatch(/^[› ] \S+\s+zip\s+[\d.]+ KiB\s+(?:\d{4}-)?\d\d-\d\d \d\d:\d\d\s+✔ complete$/);
		}
		expect(tableRows.some(row => row.includes('バ')), frame).toBe(true);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});
