import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, jobFailed, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * End to end, at 80×24 and 60×20. The prefilled
 * Delay, focused, is replaced by what is typed (`0` + `5` was `05`), and Ctrl+U,
 * Home and End edit it as readline does; the backup records the edited value.
 * A second backup to the same directory is a re-sync, and its summary
 * says so with copied · deleted · unchanged counts (it looked like a full backup).
 */
const {folder, startTui} = tmuxCases();

const delayField = (value: string) => new RegExp(`› Delay\\s+${value}\\s+ms`);
/** The first line of the directory backup's manifest: the run's record. */
const manifestHead = (target: string) => JSON.parse(fs.readFileSync(path.join(target, 'crx-backup-manifest.jsonl'), 'utf8').split('\n')[0]!) as {delayMs: number};

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI text editing and re-sync counts (tmux)', () => {
	it.each(sizes)('at $columns×$rows: typing replaces the prefilled Delay, Ctrl+U/Home/End edit it; a re-sync shows its counts', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-resync-');
		const {install, quickstart} = makeInstall(root);
		const target = path.join(root, 'mirror');
		const run = startTui(size, root, ['--repo', install, '--target', 'mirror']);
		const {tty} = run;

		// The first backup: a full one, no re-sync line.
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		await tty.waitForScreen(frame => /› Target\s+mirror$/m.test(frame) && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');
		const first = await tty.waitForScreen(/✔ Backup complete {2}100%/, 40_000, jobFailed);
		expect(first).not.toContain('Re-sync');

		// The repository changes: one file added, one deleted.
		fs.writeFileSync(path.join(quickstart, 'conf/extra.cfg'), 'added=1\n');
		fs.rmSync(path.join(quickstart, 'install/keys.config'));

		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		tty.send('c');
		await tty.waitForScreen(frame => /› Target\s+mirror$/m.test(frame) && frame.includes('✔ ready: Enter starts the backup'));
		// Tab to the prefilled Delay (0, selected) and type 5: it replaces the 0.
		tty.send('Tab');
		tty.type('5');
		const five = await tty.waitForScreen(delayField('5'));
		expect(five).not.toMatch(delayField('05'));
		// Ctrl+U empties it; 2, Home, 1 makes 12; End and Backspace take the 2: 1.
		tty.send('C-u');
		tty.type('2');
		await tty.waitForScreen(delayField('2'));
		tty.send('Home');
		tty.type('1');
		await tty.waitForScreen(delayField('12'));
		tty.send('End', 'BSpace');
		await tty.waitForScreen(frame => delayField('1').test(frame) && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');

		// The re-sync's summary: its counts (the new file copied, the deleted one deleted), and the delay as edited.
		const second = await tty.waitForScreen(/✔ Backup complete {2}100%/, 40_000, jobFailed);
		const counts = /Re-sync\s+copied ([\d,]+) · deleted ([\d,]+) · unchanged ([\d,]+)\s+since\s+the\s+last\s+backup/.exec(second);
		expect(counts, second).not.toBeNull();
		expect(Number(counts![1])).toBeGreaterThanOrEqual(1);
		expect(Number(counts![2])).toBe(1);
		expect(Number(counts![3])).toBeGreaterThan(10);
		expect(second).toMatch(/Time\s+.*· delay 1 ms/);
		// The stage rows say the same while and after it runs.
		// (At 60×20 the finished checklist folds into one row under the summary: it says them the same way.)
		expect(second).toMatch(/^✔ (?:Stage 1|\d+ steps).*copied \d+ · deleted \d+ · unchanged \d+/m);
		expect(manifestHead(target).delayMs).toBe(1);
		expect(fs.readFileSync(path.join(target, 'crx-quickstart/conf/extra.cfg'), 'utf8')).toBe('added=1\n');
		expect(fs.existsSync(path.join(target, 'crx-quickstart/install/keys.config'))).toBe(false);

		expectCleanFrames(tty, size);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
	});
});
