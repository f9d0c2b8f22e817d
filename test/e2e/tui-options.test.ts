import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {shellQuote} from '../support/tmux.js';
import {expectCleanFrames, exitStatus, jobFailed, rowsOf, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * End to end, at 80×24 and 60×20: `crx-backup --freeze-cmd …
 * --thaw-cmd …` opened the TUI and ran stage 4 unblocked, without a word. Now the
 * flags prefill Create Backup and the backup runs them. The Options section opens
 * in the form; its window scrolls so the focused option and the checks line stay
 * on screen (at 60×20 the checks were pushed off, and a cut row's value leaked
 * into the key bar's margin), and an exclude typed there leaves the zip without it.
 */
const {folder, startTui} = tmuxCases();

/** The checks line, label and verdict both on screen. */
const checksReady = /^Checks\s+✔ ready: Enter starts the backup$/m;

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI options (tmux)', () => {
	it.each(sizes)('at $columns×$rows: --freeze-cmd/--thaw-cmd/--target/--delay prefill Create Backup; Options scrolls and its exclude is applied', {timeout: 60_000}, async size => {
		const root = folder('crx-e2e-options-');
		const {install} = makeInstall(root);
		const log = path.join(root, 'freeze.log');
		const args = ['--repo', install, '--freeze-cmd', `echo frozen >> ${shellQuote(log)}`, '--thaw-cmd', `echo thawed >> ${shellQuote(log)}`, '--target', 'opts.zip', '--delay', '3'];
		const run = startTui(size, root, args);
		const {tty} = run;

		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		const create = await tty.waitForScreen(checksReady);
		expect(create).toMatch(/› Target\s+opts\.zip/);
		expect(create).toMatch(/Delay\s+3\s+ms/);
		expect(create).toContain('▸ freeze/thaw set');

		// Target → Delay → Options (one chunk), Space opens the section under the focused header, its first group's heading on top.
		tty.send('Tab', 'Tab', 'Space');
		await tty.waitForScreen(frame => frame.includes('› Options ▾ freeze/thaw set') && /^ {2}Freeze$/m.test(frame) && /^ {4}Freeze cmd/m.test(frame) && checksReady.test(frame));
		// Freeze cmd holds the flag's command (its end in view while focused: the cursor is there).
		tty.send('Tab');
		await tty.waitForScreen(frame => /› Freeze cmd\s+.*freeze\.log'$/m.test(frame) && frame.includes('--freeze-cmd: blocks') && checksReady.test(frame));
		// PgDn five times (one chunk): group by group to the last, Excludes; its one option is the section's last.
		tty.send(...Array.from({length: 5}, () => 'NPage'));
		const last = await tty.waitForScreen(frame => /› Exclude/.test(frame) && /^ {2}Excludes$/m.test(frame) && checksReady.test(frame));
		expect(last).toMatch(/^ {4}↑ \d+ more$/m);
		expect(last).not.toMatch(/↓ \d+ more/);
		expect(last).not.toMatch(/^ {4}Freeze cmd/m);
		// Exclude: its help wraps under it (3 rows at 60 columns) and the checks stay on screen.
		tty.type('logs');
		const exclude = await tty.waitForScreen(frame => /› Exclude\s+logs/.test(frame) && frame.includes('--exclude: paths inside') && checksReady.test(frame));
		expect(exclude).toContain('▾ freeze/thaw set · 1 excluded');

		tty.send('Enter');
		const done = await tty.waitForScreen(/✔ Backup complete {2}100%/, 40_000, jobFailed);
		expect(done).toMatch(/Writes\s+blocked for/);
		expect(fs.readFileSync(log, 'utf8')).toBe('frozen\nthawed\n');
		// The zip holds the tree without logs/ (the exclude), and with everything else.
		const entries = spawnSync('unzip', ['-Z1', path.join(root, 'opts.zip')], {encoding: 'utf8'}).stdout.split('\n');
		expect(entries).toContain('crx-quickstart/conf/sling.properties');
		expect(entries.filter(entry => entry.startsWith('crx-quickstart/logs'))).toEqual([]);

		expectCleanFrames(tty, size);
		// The full frame of the last form: title on the first row, key bar on the last.
		expect(rowsOf(last)).toHaveLength(size.rows);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
