import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {afterEach, describe, expect, it} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {cliPath} from '../support/cli.js';
import {tempDir} from '../support/trees.js';
import {hasTmux, shellQuote, Terminal} from '../support/tmux.js';

/**
 * End to end, in a real terminal (tmux) at 80×24 and 60×20: keys sent
 * in ONE write all count (`jjj`, `bd`, text+Tab); the TUI runs full screen in the
 * alternate buffer, so no stale heading is ever visible and, after `q`, the pane
 * shows the shell as it was plus one summary line; a resize redraws cleanly.
 * One session per size, several checks per session.
 */

const skip = hasTmux() ? undefined : 'skipped: tmux is not installed (apt-get install tmux), so there is no real terminal to drive';
if (skip) console.warn(`test/e2e/tui-terminal.test.ts: ${skip}.`);

let terminal: Terminal | undefined;
const folders: string[] = [];
afterEach(() => {
	terminal?.kill();
	terminal = undefined;
	for (const folder of folders.splice(0)) fs.rmSync(folder, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
});

/** capture-pane ends the last row with a newline of its own. */
const rowsOf = (frame: string) => frame.replace(/\n$/, '').split('\n');
const headings = (frame: string) => frame.split('\n').filter(line => line.includes('crx-backup ›')).length;
/** A full-screen frame: exactly one heading, on the first line. */
const oneScreen = (frame: string) => headings(frame) === 1 && frame.startsWith('crx-backup ›');

/** `shellBefore`: what the shell prints before the TUI starts (it must all be there after). */
async function session(columns: number, rows: number, shellBefore = '') {
	if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first (npm test does).`);
	const root = fs.realpathSync(tempDir('crx-e2e-term-'));
	folders.push(root);
	const install = path.join(root, 'aem');
	await generateRepository(install, {sizeBytes: 1024 * 1024, seed: 16});
	const script = `${shellBefore}printf 'before-tui\\n'; CI=true CRX_BACKUP_STATE_DIR=${shellQuote(path.join(root, 'state'))} ${shellQuote(process.execPath)} ${shellQuote(cliPath)} --repo ${shellQuote(install)}; echo "EXIT=$?"`;
	const tty = (terminal = new Terminal({columns, rows, command: ['sh', '-c', script], cwd: root}));
	return {tty, root};
}

describe.skipIf(skip !== undefined)(skip ? `TUI terminal handling: ${skip}` : 'TUI terminal handling (tmux)', () => {
	it.each([[80, 24], [60, 20]])('at %i×%i: chunks, full screen, summary on quit', {timeout: 60_000}, async (columns, rows) => {
		const {tty, root} = await session(columns, rows);
		const home = await tty.waitForScreen(/Newest\s+no backups yet/, 30_000);
		expect(oneScreen(home), home).toBe(true);
		// Full screen: the shell's line is not under the TUI, the key bar is the row above the last (left blank).
		expect(home).not.toContain('before-tui');
		expect(rowsOf(home).length).toBe(rows);

		// jjj in one write moves three rows; kkk back.
		tty.type('jjj');
		await tty.waitForScreen('› q  Quit');
		tty.type('kkk');
		await tty.waitForScreen('› c  Create backup');

		// Create: text and Tab in one write: the text is the target, Tab moved to Delay.
		tty.send('c');
		const create = await tty.waitForScreen('ready: Enter starts the backup');
		const target = /Target\s+(backup-\d{8}-\d{4}\.zip)/.exec(create)?.[1];
		expect(target, create).toBeDefined();
		tty.send(...Array.from({length: target!.length}, () => 'BSpace'));
		const name = `term-${columns}.zip`;
		tty.type(`${name}\t`);
		await tty.waitForScreen(frame => new RegExp(`Target\\s+${name.replace('.', '\\.')}`).test(frame) && /› Delay/.test(frame) && frame.includes('ready: Enter starts'));
		tty.send('Enter');
		await tty.waitForScreen(/✔ Backup complete {2}100%/, 30_000, /Backup failed|Backup cancelled/);
		expect(fs.existsSync(path.join(root, name))).toBe(true);

		// bd in one write: b opens Backups, d asks there.
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && frame.includes(name));
		tty.type('bd');
		await tty.waitForScreen(`Delete ${name}? [y/N]`);
		tty.send('n');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && !frame.includes('[y/N]'));

		if (columns === 80) {
			// Resize 80→60→120: each redraw is one clean screen of the new width (capture checks the width).
			for (const [width, height] of [[60, 20], [120, 40], [80, 24]] as const) {
				tty.resize(width, height);
				// Until the TUI redraws, tmux shows the old frame cut to the new size: wait for the redraw.
				const clean = (frame: string) => oneScreen(frame) && rowsOf(frame).length === height && rowsOf(frame).at(-2)!.startsWith('↑/k ↓/j move  d delete') && rowsOf(frame).at(-1) === '' && rowsOf(frame).every(line => [...line].length <= width);
				const frame = await until(() => tty.captureUnchecked(), clean, 10_000);
				expect(frame).toContain(name);
				tty.capture(); // and the checked capture (width, no stack trace) passes
			}
		}

		// No frame ever showed a stale heading over the current one.
		expect(tty.frames.filter(frame => frame.includes('crx-backup ›') && !oneScreen(frame))).toEqual([]);

		// q: back on the shell's screen, as it was, plus one summary line.
		tty.send('q');
		// The shell's own lines may be wider than the pane (the terminal wraps them): unchecked. With history
		// (-S -): tmux's "Pane is dead" line, written at the bottom once the shell exits, scrolls the screen by one.
		const withHistory = () => tty.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e');
		const after = await until(withHistory, frame => /EXIT=\d+/.test(frame), 15_000);
		expect(after).not.toContain('crx-backup ›');
		const lines = after.split('\n').map(line => line.trimEnd()).filter(line => line !== '' && !line.startsWith('Pane is dead'));
		expect(lines).toEqual(['before-tui', `crx-backup: 1 backup made; last: backup done, ${path.join(root, name)}.`, 'EXIT=0']);
	});
});

describe.skipIf(skip !== undefined)(skip ? `TUI signals: ${skip}` : 'TUI signals (tmux)', () => {
	it('SIGTERM leaves the alternate buffer too: the shell as before, scrollback included, the summary, exit 0', {timeout: 40_000}, async () => {
		// 50 lines: more than the pane, so most are in its scrollback (which Ink's clear, ED 3, used to wipe).
		const {tty} = await session(60, 20, 'seq 1 50; ');
		await tty.waitForScreen(/Newest\s+no backups yet/, 30_000);
		// The pane runs sh, whose child is the TUI's node process.
		const shell = tty.tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}').trim();
		const node = execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0]!;
		process.kill(Number(node), 'SIGTERM');
		const after = await until(() => tty.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e'), frame => /EXIT=\d+/.test(frame), 15_000);
		const lines = after.split('\n').map(line => line.trimEnd()).filter(line => line !== '' && !line.startsWith('Pane is dead'));
		expect(lines).toEqual([...Array.from({length: 50}, (_, index) => String(index + 1)), 'before-tui', 'crx-backup: nothing done.', 'EXIT=0']);
	});
});

async function until(read: () => string, done: (frame: string) => boolean, timeoutMs: number): Promise<string> {
	const started = Date.now();
	for (;;) {
		const frame = read();
		if (done(frame)) return frame;
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms; the screen:\n${frame}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}
