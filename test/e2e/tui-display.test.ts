import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {makeInstall} from '../support/trees.js';
import {runCli} from '../support/cli.js';
import {cliBackups, expectCleanFrames, exitStatus, jobFailed, keyBarOf, rowsOf, selectRow, sizes, tmuxCases, tmuxSkip, until, waitForTui, wrappedText} from '../support/tmux-flows.js';

/**
 * What the TUI draws, at 80×24 and 60×20: how it writes a frame (only the lines that
 * changed, never a whole-screen clear per frame), and what a running backup shows.
 */
const {folder, startTui, openCreate, openBackups} = tmuxCases();

/** ED 2, "erase the whole screen": Ink's clearTerminal starts with it; a line-by-line redraw never writes it. */
const eraseScreen = '\u001B[2J';

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI display (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a running backup redraws only changed lines, never clearing the whole screen', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-display-');
		const install = path.join(root, 'aem');
		await generateRepository(install, {sizeBytes: 3 * 1024 * 1024, seed: 7});
		// --delay 2: 3 MiB × 2 ms ÷ 2 ≈ 3 s of throttled copying, so the progress view redraws many times.
		const run = await openCreate(size, root, ['--repo', install, '--target', 'clears.zip', '--delay', '2'], 'clears.zip');
		const {tty} = run;
		const bytes = path.join(root, 'pane-bytes');
		tty.record(bytes);
		tty.send('Enter');
		// Several different progress frames (the elapsed time changes) before it ends.
		const seen = new Set<string>();
		await tty.waitForScreen(frame => {
			const elapsed = /[\d.]+ (?:ms|s) elapsed/.exec(frame)?.[0];
			if (elapsed) seen.add(elapsed);
			return /✔ Backup complete {2}100%/.test(frame);
		}, 60_000, jobFailed);
		tty.stopRecording();
		expect(seen.size, 'progress frames seen').toBeGreaterThan(2);
		const written = fs.readFileSync(bytes, 'latin1');
		expect(written.length).toBeGreaterThan(0);
		expect(written.split(eraseScreen).length - 1, 'whole-screen clears while the backup ran').toBe(0);
		// The frame keeps to one row less than the terminal; the key bar sits above the blank last row.
		const last = tty.capture();
		expect(keyBarOf(last)).toMatch(/^Enter /);
		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI running backup rows (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a running zip is one row under its final name, "running N %", on Home and in Backups', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-running-');
		const {install} = makeInstall(root);
		// --delay 60000 throttles the copy so the backup is still running while the screens are read.
		const run = await openCreate(size, root, ['--repo', install, '--target', 'night.zip', '--delay', '60000'], 'night.zip');
		const {tty} = run;
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress') && keyBarOf(frame).startsWith('x cancel'));
		// On disk it is two pieces while it runs: the staging folder and the .partial zip.
		await until(() => fs.readdirSync(root).some(name => /^night\.[0-9a-f]+\.temp$/.test(name)) && fs.readdirSync(root).some(name => /^night\.zip\.[0-9a-f]+\.partial$/.test(name)), 20_000, () => `the staging pieces in ${fs.readdirSync(root).join(', ')}`);

		tty.send('Escape');
		const home = await tty.waitForScreen(/^Newest\s+night\.zip\s+… running \d+ %/m);
		expect(home).not.toMatch(/\.temp|\.partial/);

		tty.send('b');
		const backups = await tty.waitForScreen(/^[› ] night\.zip\s+zip\s.*… running \d+ %$/m, 20_000);
		// One row: no other row for its staging folder or its .partial (the details may say where it is staged).
		expect(backups.match(/^[› ] night\S*\s+zip\s/gm), backups).toHaveLength(1);
		expect(backups).not.toMatch(/^[› ] \S*\.(?:temp|partial)\s/m);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI verify results (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a verify result shows only under the backup it is about', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-verdict-');
		const {install} = makeInstall(root);
		await cliBackups(root, install, ['old.zip', 'new.zip']);
		const {tty} = await openBackups(size, root, install);
		await selectRow(tty, 'old.zip', ['old.zip', 'new.zip']);
		tty.send('v');
		await tty.waitForScreen(/✔ Intact: old\.zip/, 30_000);

		// The filter moves the selection to new.zip: old.zip's verdict is not shown under it.
		tty.send('/');
		tty.type('new');
		const filtered = await tty.waitForScreen(frame => /^› new\.zip\s/m.test(frame) && /\(1 of 2\)/.test(frame) && /Path\s+\S*new\.zip/.test(frame));
		expect(filtered).not.toContain('Intact: old.zip');

		// Nor after leaving and coming back, when the cursor starts on new.zip again.
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && !frame.includes('/ new'));
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		tty.send('b');
		const back = await tty.waitForScreen(frame => /^› new\.zip\s/m.test(frame) && /Path\s+\S*new\.zip/.test(frame));
		expect(back).not.toContain('Intact: old.zip');
		// On old.zip's row, with j, the line under it is its own (cleared by the move, never another row's).
		await selectRow(tty, 'old.zip', ['old.zip', 'new.zip']);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI narrow names and key bar (tmux)', () => {
	it.each(sizes)('at $columns×$rows: names that share a prefix keep the part that tells them apart; the key bar keeps ? and q', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-names-');
		const {install} = makeInstall(root);
		// Default-style names (backup-YYYYMMDD-HHMM.zip), given explicitly so no clock decides them.
		const names = ['backup-20261206-2300.zip', 'backup-20261207-0119.zip', 'backup-20261207-0230.zip'];
		await cliBackups(root, install, names);
		const run = await openBackups(size, root, install);
		const {tty} = run;
		const frame = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && (frame.match(/ zip /g) ?? []).length === 3);
		// Each row's name cell: its distinguishing end is there, and no two rows read the same.
		const cells = frame.split('\n').filter(row => /^[› ] \S+\s+zip /.test(row)).map(row => /^[› ] (\S+)/.exec(row)![1]!);
		expect(cells, frame).toHaveLength(3);
		expect(new Set(cells).size, frame).toBe(3);
		for (const name of names) expect(cells.some(cell => cell.endsWith(name.slice(-10))), `${name} in ${cells.join(', ')}`).toBe(true);
		expect(keyBarOf(frame), frame).toMatch(/^↑\/k ↓\/j move .*\? help {2}q quit$/);
		tty.send('Escape');
		const home = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		expect(keyBarOf(home)).toMatch(/\? help {2}q quit$/);
		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI progress figures (tmux)', () => {
	it.each(sizes)('at $columns×$rows: no "ETA 0 ms", no "0 B/s" while bytes advance, and the time in Backups is the summary\'s', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-figures-');
		const install = path.join(root, 'aem');
		await generateRepository(install, {sizeBytes: 3 * 1024 * 1024, seed: 9});
		// --delay 2: about 3 s of throttled copying, and the throttle's settling between stages.
		const run = await openCreate(size, root, ['--repo', install, '--target', 'figures.zip', '--delay', '2'], 'figures.zip');
		const {tty} = run;
		tty.send('Enter');
		const from = tty.frames.length;
		const done = await tty.waitForScreen(/✔ Backup complete {2}100%/, 60_000, jobFailed);
		const running = tty.frames.slice(from).filter(frame => frame.startsWith('crx-backup › Backup Progress'));
		expect(running.filter(frame => frame.includes('ETA 0 ms')), 'frames with "ETA 0 ms"').toEqual([]);
		// "0 B/s" beside bytes that moved since the frame before (same step line): the rate contradicts the count.
		const stepOf = (frame: string) => /step (\S+ \S+) of (\S+ \S+)/.exec(frame)?.slice(1).join('/');
		const contradictions = running.filter((frame, index) => index > 0 && /(?:^|· )0 B\/s/m.test(frame) && stepOf(frame) !== undefined && stepOf(running[index - 1]!) !== undefined && stepOf(frame) !== stepOf(running[index - 1]!));
		expect(contradictions, 'frames with "0 B/s" while bytes advance').toEqual([]);

		// One figure for how long it took: the summary's Time is what Backups says it took.
		const time = /^Time\s+(\S+ \S+)/m.exec(done)?.[1];
		expect(time, done).toBeDefined();
		tty.send('Enter');
		const details = await tty.waitForScreen(/took \S+ \S+ with zipping/);
		expect(/took (\S+ \S+) with zipping/.exec(details)?.[1]).toBe(time);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI demo datastore GC notice (tmux)', () => {
	it.each(sizes)('at $columns×$rows: g says what the GC does, and its end says what happened to backups, not a fixed story', {timeout: 120_000}, async size => {
		const root = folder('crx-e2e-gc-');
		const run = startTui(size, root, ['--demo'], {CRX_BACKUP_DEMO_MIB: '3'});
		const {tty} = run;
		await waitForTui(tty);
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && /Size\s+[\d.]+ MiB in [\d,]+ files/.test(frame), 60_000);
		// No backup runs: the sweep's notice does not promise that "a backup running now fails" …
		tty.send('g');
		const sweeping = await tty.waitForScreen(wrappedText('Datastore GC is running on the demo repository for 3 s'));
		expect(sweeping).not.toMatch(wrappedText('a backup running now fails'));
		expect(sweeping).toMatch(wrappedText('a backup that reads a record it deletes fails.'));
		// … and its end does not claim a backup failed during it: none ran.
		const over = await tty.waitForScreen(/Datastore GC deleted \d+/, 60_000);
		expect(over).not.toMatch(wrappedText('A backup made during it failed'));
		expect(over).toMatch(wrappedText('no backup ran during it.'));
		// Quitting the demo asks (its folder goes), but with no job running there is nothing to cancel.
		tty.send('q');
		const ask = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit'));
		expect(keyBarOf(ask)).toBe('y yes, quit  n Esc Enter no, stay');
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI small things (tmux)', () => {
	it.each(sizes)('at $columns×$rows: counts, details, filter, cursor, wrapping and labels read right', {timeout: 120_000}, async size => {
		const root = folder('crx-e2e-small-');
		const install = path.join(root, 'aem');
		// Over a thousand files: a count with a thousands separator.
		await generateRepository(install, {sizeBytes: 1024 * 1024, seed: 14, smallFiles: 1100});
		const env = {CRX_BACKUP_STATE_DIR: path.join(root, 'state-cli')};
		// More rows than the table shows: 11 folders AEM's marker calls unfinished (listed as incomplete; cheap to
		// make), and one real backup, the newest, made with a freeze command.
		for (let i = 1; i <= 11; i++) {
			const folder = path.join(root, `b${String(i).padStart(2, '0')}`, 'crx-quickstart');
			fs.mkdirSync(folder, {recursive: true});
			fs.writeFileSync(path.join(folder, '..', 'backupInProgress.txt'), '');
		}
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'b12'), '--freeze-cmd', 'true'], {env});
		expect(made.code, made.stderr).toBe(0);
		// A destination holding one thing: "1 entry", not "1 entries".
		fs.mkdirSync(path.join(root, 'busy'));
		fs.writeFileSync(path.join(root, 'busy', 'one'), '');
		const refused = await runCli(['restore', path.join(root, 'b12'), '--to', path.join(root, 'busy')], {env});
		expect(refused.stderr).toContain('(1 entry)');

		const run = startTui(size, root, ['--repo', install, '--target', 'fresh']);
		const {tty} = run;
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && /Newest\s+b12/.test(frame), 30_000);
		// Home's cursor: where it was left.
		tty.type('jj');
		await tty.waitForScreen('› r  Restore');
		tty.send('b');
		// The table fills the rows it has: with 12 backups, no run of blank rows under the range line.
		const list = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && /^› b12\s/m.test(frame) && /Excludes/.test(frame));
		const body = rowsOf(list).slice(0, size.rows - 3);
		const trailingBlank = body.length - 1 - body.map(row => row !== '').lastIndexOf(true);
		expect(trailingBlank, list).toBeLessThanOrEqual(1);
		// Details: counts with separators everywhere, the excludes, and what froze writes.
		expect(list).toMatch(/Contents\s+1,\d{3} files/);
		expect(list).not.toMatch(/\b\d{4,} files/);
		expect(list).toMatch(/freeze: true/);
		// A kept filter: Esc clears it, and stays on Backups.
		tty.send('/');
		tty.type('b1');
		await tty.waitForScreen(/\/ b1▏/);
		tty.send('Enter');
		await tty.waitForScreen(frame => /^\/ b1 /m.test(frame) && !frame.includes('▏'));
		tty.send('Escape');
		const cleared = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && !/^\/ /m.test(frame));
		expect(cleared).toMatch(/^› b12\s/m);
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && frame.includes('› r  Restore'));

		// The delay's rule, with its numbers.
		tty.send('c');
		const form = await tty.waitForScreen(frame => frame.includes('✔ ready: Enter starts the backup'), 30_000);
		expect(form).toMatch(/MiB × ms ÷ \d = seconds/);
		tty.send('Enter');
		const done = await tty.waitForScreen(/✔ Backup complete {2}100%/, 60_000, jobFailed);
		// A wrapped sentence does not start its next line with a space; a label ending in a number is not followed by one.
		expect(done).not.toMatch(/^ \S/m);
		expect(done).not.toMatch(/stage \d \d/);
		expectCleanFrames(tty, size);
	});
});
