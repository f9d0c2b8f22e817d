import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeInstall} from '../support/trees.js';
import {expectCleanFrames, exitStatus, jobFailed, keysLive, sizes, tmuxCases, tmuxSkip, until} from '../support/tmux-flows.js';

/**
 * The quit question asked while a job runs, and the job ends before it is answered: outside the
 * demo it turned into "Quit the demo?" (there is no demo). It says the job has finished and asks
 * to quit; n stays on the finished job, q then quits at once.
 */
const {folder, startTui} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI quit question outlived by its job (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a job ending under the quit question does not turn it into "Quit the demo?"', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-quit-ask-');
		const {install} = makeInstall(root);
		// The freeze command waits for a file the test writes: the backup ends exactly when the test says.
		const gate = path.join(root, 'go');
		const run = startTui(size, root, ['--repo', install, '--target', 'held.zip', '--freeze-cmd', `while [ ! -e '${gate}' ]; do sleep 0.05; done`, '--thaw-cmd', 'true']);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(tty);
		tty.send('c');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress'), 20_000, jobFailed);

		tty.send('q');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit') && frame.includes('A job is running. Cancel it and quit?'));
		fs.writeFileSync(gate, '');
		await until(() => fs.existsSync(path.join(root, 'held.zip')), 30_000, () => 'held.zip');
		const after = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit') && !frame.includes('A job is running'));
		expect(after).not.toContain('demo');
		expect(after).toMatch(/The job has finished\. Quit\?/);
		tty.send('n');
		await tty.waitForScreen(/✔ Backup complete/, 20_000, jobFailed);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});
