import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {afterEach, describe, expect, it} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {startLiveWriter, type LiveWriter} from '../../source/demo/live-writer.js';
import {cliPath} from '../support/cli.js';
import {contentOf, describeTree, tempDir} from '../support/trees.js';
import {currentScreen, hasTmux, shellQuote, Terminal} from '../support/tmux.js';

/**
 * End to end: the built CLI's TUI in a real terminal (tmux, 100×30) on a
 * generated repository that a live writer keeps changing. Create a zip backup,
 * watch it finish, find it in Backups, restore it through the wizard, delete it,
 * quit, and check each step on disk. The TUI has no freeze/thaw flags (only
 * --demo passes the writer's), so stage 4 runs with writes unblocked.
 */

const columns = 100;
const rows = 30;
/** Only a missing tmux skips (CI installs it, .ci/run); a missing unzip is a failure, as README lists it. */
const skip = hasTmux() ? undefined : 'skipped: tmux is not installed (apt-get install tmux), so there is no real terminal to drive';
if (skip) console.warn(`test/e2e/tui.test.ts: ${skip}.`);

/** A job that failed shows ✖ with one of these; waiting longer would not help. */
const failed = /Backup failed|Backup cancelled|Restore failed|Restore cancelled/;

let terminal: Terminal | undefined;
let writer: LiveWriter | undefined;
const folders: string[] = [];
afterEach(async () => {
	terminal?.kill();
	terminal = undefined;
	await writer?.stop().catch(() => undefined);
	writer = undefined;
	// Retries: after a failure the TUI may still be winding down a job in there when tmux is killed.
	for (const folder of folders.splice(0)) fs.rmSync(folder, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
});

const folder = (prefix: string) => {
	const dir = fs.realpathSync(tempDir(prefix));
	folders.push(dir);
	return dir;
};

/** Backspace `count` times in one write, as a held key delivers it. */
const erase = (count: number) => Array.from({length: count}, () => 'BSpace');

describe.skipIf(skip !== undefined)(skip ? `TUI end to end: ${skip}` : 'TUI end to end (tmux)', () => {
	it('backs up a live repository, lists, restores and deletes the backup, and quits with 0', {timeout: 90_000}, async () => {
		if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first (npm test does).`);
		// The backups land in the install folder's parent, so keep everything else out of it.
		const root = folder('crx-e2e-');
		const work = folder('crx-e2e-work-');
		const install = path.join(root, 'aem');
		const {quickstart} = await generateRepository(install, {sizeBytes: 6 * 1024 * 1024, seed: 4});
		writer = await startLiveWriter({quickstart, controlDir: path.join(work, 'writer-control')});
		const exitFile = path.join(work, 'exit-code');
		// CI=true as in CI itself: Ink must still render live when both ends are terminals (regression).
		const script = `CI=true CRX_BACKUP_STATE_DIR=${shellQuote(path.join(work, 'state'))} ${shellQuote(process.execPath)} ${shellQuote(cliPath)} --repo ${shellQuote(install)}; echo "EXIT=$?" > ${shellQuote(exitFile)}`;
		const tty = (terminal = new Terminal({columns, rows, command: ['sh', '-c', script], cwd: work}));

		// 1. Home: the repository and its size; `c` opens Create Backup on the default target.
		const home = await tty.waitForScreen(/Size\s+[\d.]+ (?:KiB|MiB) in [\d,]+ files/, 30_000);
		expect(home).toContain('crx-backup › Home');
		expect(home).toMatch(new RegExp(`Repository\\s+${literal(quickstart)}`));
		tty.send('c');
		const create = await tty.waitForScreen(/crx-backup › Create Backup[\s\S]*✔ ready: Enter starts the backup/);
		const defaultTarget = /› Target\s+(backup-\d{8}-\d{4}\.zip)\s*$/m.exec(create)?.[1];
		expect(defaultTarget, create).toBeDefined();
		expect(create).toContain(`→ ${path.join(root, defaultTarget!)}`);
		expect(create).toContain('zip: staged in a folder, then compressed');
		// No Ctrl+U: the field clears with Backspace, here sent as one burst.
		tty.send(...erase(defaultTarget!.length + 5));
		tty.type('e2e.zip');
		const zip = path.join(root, 'e2e.zip');
		await tty.waitForScreen(frame => /› Target\s+e2e\.zip\s*$/m.test(frame) && frame.includes(`→ ${zip}`) && frame.includes('✔ ready: Enter starts the backup'));
		tty.send('Enter');

		// 2. Progress: a live frame with a stage ticked off and a percentage, then the summary.
		await tty.waitForScreen('crx-backup › Backup Progress', 20_000);
		// The done rows reach the checklist through <Static> a render after the summary: wait for both.
		const done = await tty.waitForScreen(frame => /✔ Backup complete {2}100%/.test(frame) && /^✔ Zipping\s+[\d,]+ files/m.test(frame), 60_000, failed);
		const progressFrames = tty.frames.filter(frame => frame.includes('Backup Progress') && !frame.includes('Backup complete'));
		expect(progressFrames.some(frame => /^✔ Stage \d/m.test(frame) && /[█░]+\s+\d{1,2}%$/m.test(frame)), 'a running frame with ✔ rows and a percentage').toBe(true);
		expect(done).toContain('Writes        not blocked (no freeze command)');
		expect(fs.existsSync(zip)).toBe(true);
		expect(fs.readdirSync(root).filter(name => name.endsWith('.temp') || name.endsWith('.partial'))).toEqual([]);
		expect(spawnSync('unzip', ['-tq', zip]).status).toBe(0);

		// 3. Backups: the new zip, complete.
		tty.send('Enter');
		const backups = currentScreen(await tty.waitForScreen(frame => currentScreen(frame).startsWith('crx-backup › Backups') && /^› e2e\.zip\s/m.test(currentScreen(frame))));
		expect(backups).toMatch(/^› e2e\.zip\s+zip\s+[\d.]+ (?:KiB|MiB)\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+✔ complete$/m);

		// 4. Restore wizard from that row: a new folder typed in, index deletion on, confirm.
		tty.send('r');
		const suggested = path.join(root, 'restored-e2e');
		await tty.waitForScreen(frame => frame.includes('crx-backup › Restore 2/5: destination folder') && frame.includes(`› Folder  ${suggested}`));
		const destination = path.join(work, 'restored');
		tty.send(...erase(suggested.length + 5));
		tty.type(destination);
		await tty.waitForScreen(frame => frame.includes(`› Folder  ${destination}`) && frame.includes('✔ a new folder, created by the restore'));
		tty.send('Enter');
		await tty.waitForScreen('› [ ] Delete crx-quickstart/repository/index after restoring');
		tty.send('Space');
		await tty.waitForScreen('› [x] Delete crx-quickstart/repository/index after restoring');
		tty.send('Enter');
		const confirm = await tty.waitForScreen(frame => frame.includes('crx-backup › Restore 4/5: confirm') && /Holds\s+zip · [\d,]+ files/.test(frame));
		expect(confirm).toMatch(new RegExp(`Into\\s+${literal(destination)}`));
		expect(confirm).toMatch(/Index\s+deleted after restoring/);
		tty.send('Enter');
		const restored = await tty.waitForScreen(/✔ Restore complete {2}100%/, 60_000, failed);
		expect(restored).toContain(`cd ${destination}`); // the next-step command

		// On disk: the restored tree is the backup's, byte for byte, with its modes back.
		const unzipped = path.join(work, 'unzipped');
		execFileSync('unzip', ['-q', zip, '-d', unzipped]);
		const restoredTree = describeTree(path.join(destination, 'crx-quickstart'));
		// A running AEM's cq.pid and repo.lock are never restored (restore/rules.ts); unzip puts back everything.
		const unzippedTree = describeTree(path.join(unzipped, 'crx-quickstart'), {skip: ['conf/cq.pid', 'repository/segmentstore/repo.lock']});
		expect(contentOf(restoredTree)).toEqual(contentOf(unzippedTree));
		// unzip puts back the modes stored in the entries too: the restore must match it file for file.
		expect(Object.fromEntries([...restoredTree].map(([rel, info]) => [rel, info.mode.toString(8)]))).toEqual(Object.fromEntries([...unzippedTree].map(([rel, info]) => [rel, info.mode.toString(8)])));
		expect(restoredTree.get('bin/start')?.mode).toBe(0o755);
		expect(restoredTree.has('repository/index')).toBe(false);
		expect(fs.readdirSync(destination)).toEqual(['.crx-restored', 'crx-quickstart']);

		// 5. Back on Backups (the wizard returns where it was opened): delete the zip.
		tty.send('Enter');
		await tty.waitForScreen(frame => currentScreen(frame).startsWith('crx-backup › Backups') && /^› e2e\.zip\s/m.test(currentScreen(frame)));
		tty.send('d');
		await tty.waitForScreen('Delete e2e.zip? [y/N]');
		tty.send('y');
		// The message comes first, the reloaded list a moment later.
		const deleted = currentScreen(await tty.waitForScreen(frame => frame.includes('✔ Deleted e2e.zip.') && !/^[› ] e2e\.zip\s/m.test(currentScreen(frame)), 20_000));
		expect(deleted).toContain('No backups found in');
		expect(fs.existsSync(zip)).toBe(false);

		// 6. Esc to Home, q quits: the process is gone with exit 0.
		tty.send('Escape');
		await tty.waitForScreen(frame => currentScreen(frame).startsWith('crx-backup › Home') && frame.includes('Newest        no backups yet'));
		tty.send('q');
		await waitUntil(() => fs.existsSync(exitFile) && fs.readFileSync(exitFile, 'utf8').includes('EXIT='), 15_000, 'the TUI to exit');
		expect(fs.readFileSync(exitFile, 'utf8').trim()).toBe('EXIT=0');
		// The exit code is the file's (tmux fills #{pane_dead_status} only once it has reaped the shell, not always at once).
		await waitUntil(() => tty.pane().dead, 5000, 'the pane to close');
	});
});

function literal(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const started = Date.now();
	while (!predicate()) {
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; the screen:\n${terminal?.capture() ?? ''}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}
