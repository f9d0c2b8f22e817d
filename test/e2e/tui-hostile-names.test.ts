import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {runCli} from '../support/cli.js';
import {expectCleanFrames, exitStatus, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * A backup folder is untrusted: a file named with an escape sequence and a newline
 * (`evil ESC[31m RED \n OK: forged.zip`) was drawn raw by the TUI, so it coloured the
 * screen and forged a second line ("OK: forged.zip") under the real one. The TUI
 * names it as the CLI does: quoted, controls escaped, on one line.
 */
const {folder, startTui} = tmuxCases();

const hostile = 'evil\u001B[31mRED\nOK: forged.zip';
/** printableName's spelling of it, as the screen must show it (or a middle-cut of it). */
const escaped = String.raw`evil\u001b[31mRED\nOK: forged.zip"`;

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI hostile names (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a backup named with an escape sequence and a newline is shown escaped, on one line', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-hostile-');
		const {install} = makeInstall(root);
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'good.zip')]);
		expect(made.code, made.stderr).toBe(0);
		fs.copyFileSync(path.join(root, 'good.zip'), path.join(root, hostile));
		// good.zip is older: the hostile copy is the newest backup.
		const old = new Date(Date.now() - 3_600_000);
		fs.utimesSync(path.join(root, 'good.zip'), old, old);

		// NO_COLOR: the TUI itself writes no SGR code at all, so any ESC[31m in the pane's bytes came from the name.
		const run = startTui(size, root, ['--repo', install], {NO_COLOR: '1'});
		const {tty} = run;
		const bytes = path.join(root, 'pane-bytes');
		tty.record(bytes);
		const home = await tty.waitForScreen(/^Newest\s+"evil/m, 30_000);
		expect(rowsOf(home).some(row => /^\s*OK: forged/.test(row)), home).toBe(false);

		tty.send('b');
		const backups = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && /^Path\s+/m.test(frame));
		// One table row for it, its name escaped; no row of its own for the forged text.
		expect(backups.split('\n').filter(row => /^[› ] "?(?:…|evil)\S*\s.*zip\s/.test(row)), backups).toHaveLength(1);
		expect(rowsOf(backups).some(row => /^\s*(?:…\s*)?OK: forged/.test(row)), backups).toBe(false);
		// The details' Path: the whole escaped name at 80 columns (its end at 60, cut in the middle).
		const pathRow = rowsOf(backups).find(row => row.startsWith('Path'))!;
		if (size.columns === 80) expect(pathRow).toContain(escaped);
		else expect(pathRow).toMatch(/OK: forged\.zip"$/);

		// d refuses (a copy crx-backup has no record of making), naming it escaped.
		tty.send('d');
		const refused = await tty.waitForScreen('Refusing to delete');
		expect(refused).toContain(String.raw`RED\nOK:`);
		expect(rowsOf(refused).some(row => /^\s*OK: forged/.test(row)), refused).toBe(false);
		expect(fs.existsSync(path.join(root, hostile))).toBe(true);

		tty.stopRecording();
		expect(fs.readFileSync(bytes, 'latin1')).not.toContain('\u001B[31m');
		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
