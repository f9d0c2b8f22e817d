import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Terminal} from '../support/tmux.js';
import {expectCleanFrames, exitStatus, jobFailed, sizes, tmuxCases, tmuxSkip, waitForTui, wrappedText} from '../support/tmux-flows.js';

/**
 * End to end, at 80×24 and 60×20: `crx-backup --demo` (a 3 MiB
 * repository: CRX_BACKUP_DEMO_MIB) makes 10 zip backups in a row under its live
 * writer, all complete and intact (14 of 15 failed when the writer deleted
 * datastore records at random); `g` runs the demo's datastore GC during a backup,
 * which fails it with a message that says what to do. Quitting asks first
 * and names the demo folder it deletes.
 */
const {folder, startTui} = tmuxCases();

/** Create Backup from Home, the target typed over the selected default, Enter, until it ends. */
async function backup(tty: Terminal, name: string, delay?: string): Promise<string> {
	tty.send('c');
	await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'), 30_000);
	tty.type(name);
	if (delay) {
		tty.send('Tab');
		tty.type(delay);
	}
	await tty.waitForScreen(frame => new RegExp(`Target\\s+${name.replace('.', '\\.')}$`, 'm').test(frame) && (!delay || new RegExp(`Delay\\s+${delay}\\s+ms`).test(frame)) && frame.includes('✔ ready: Enter starts the backup'), 30_000);
	tty.send('Enter');
	return tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress') && (/✔ Backup complete {2}100%/.test(frame) || jobFailed.test(frame)), 60_000);
}

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI demo (tmux)', () => {
	it.each(sizes)('at $columns×$rows: the demo makes 10 zip backups in a row, all complete; g fails one with what to do; quitting names its folder', {timeout: 150_000}, async size => {
		const root = folder('crx-e2e-demo-');
		const run = startTui(size, root, ['--demo'], {CRX_BACKUP_DEMO_MIB: '3'});
		const {tty} = run;
		await waitForTui(tty);
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && /Size\s+[\d.]+ MiB in [\d,]+ files/.test(frame), 60_000);

		for (let i = 1; i <= 10; i++) {
			const done = await backup(tty, `demo-${i}.zip`);
			expect(done, `backup ${i}`).toMatch(/✔ Backup complete {2}100%/);
			// Stage 4's freeze goes through the demo's "AEM", which, like a real AEM as far as anyone documents,
			// does not confirm the block (source/demo/fake-aem/console-forms.ts): the summary says so, never "blocked".
			expect(done).toMatch(/Writes\s+blocking not confirmed by AEM/);
			// A zip is staged afresh each time: no "Re-sync" line (it showed when the writer's compaction deleted a tar).
			expect(done).not.toContain('Re-sync');
			tty.send('Escape');
			await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		}

		// A datastore GC during a backup fails it, and the message says what to do. The GC's 3 s (from `g` on Home,
		// right after the start) must meet the zipping, which reads the records again: up to 5 tries (one or two suffice).
		let failed: string | undefined;
		for (let attempt = 1; attempt <= 5 && !failed; attempt++) {
			tty.send('c');
			await tty.waitForScreen(frame => frame.startsWith('crx-backup › Create Backup') && frame.includes('✔ ready: Enter starts the backup'), 30_000);
			tty.type(`gc-${attempt}.zip`);
			await tty.waitForScreen(frame => new RegExp(`Target\\s+gc-${attempt}\\.zip$`, 'm').test(frame) && frame.includes('✔ ready: Enter starts the backup'));
			tty.send('Enter');
			await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backup Progress'));
			// Separate writes: Esc and g in one would arrive as Alt+g.
			tty.send('Escape');
			await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
			tty.send('g');
			await tty.waitForScreen(wrappedText('Datastore GC is running on the demo repository for 3 s'));
			tty.send('p');
			const end = await tty.waitForScreen(/Backup failed|✔ Backup complete/, 60_000);
			if (end.includes('Backup failed')) failed = end;
			tty.send('Escape');
			await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home'));
		}
		expect(failed, 'a backup during the datastore GC failed').toBeDefined();
		// Either the GC met the backup's last read (a record vanished), or, when the previous try's GC still ran as
		// this one started, AEM's status refused the start: which one depends on the machine's speed, and both say
		// what to do.
		const vanished = wrappedText('vanished after the last stage read it: datastore garbage collection deletes records, so never run it during a backup; let it finish, then make the backup again.');
		const refused = wrappedText('is running datastore garbage collection: start the backup once it has finished (never concurrently), or tick Force in Options to start anyway.');
		expect(vanished.test(failed!) || refused.test(failed!), failed).toBe(true);

		// q asks, and names the folder it deletes; the zips are there, whole, until the answer.
		tty.send('q');
		const ask = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Quit') && /and its\s+backups\s+are\s+deleted\./.test(frame));
		const demoFolder = /The demo folder\s+(\S+)/.exec(ask)?.[1];
		expect(demoFolder, ask).toMatch(/crx-backup-demo-/);
		for (let i = 1; i <= 10; i++) {
			const zip = path.join(demoFolder!, `demo-${i}.zip`);
			expect(spawnSync('unzip', ['-tq', zip]).status, zip).toBe(0);
		}
		expectCleanFrames(tty, size);
		tty.send('y');
		expect(await exitStatus(run, 30_000)).toBe(0);
		expect(fs.existsSync(demoFolder!)).toBe(false);
	});
});
