import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {afterEach, expect} from 'vitest';
import {cliPath, runCli} from './cli.js';
import {makeInstall, tempDir} from './trees.js';
import {hasTmux, shellQuote, Terminal} from './tmux.js';

/**
 * Shared steps of the tmux suite (test/e2e/tui-*.test.ts): the two sizes the TUI
 * must work at, one TUI per case in a real terminal, and the checks every frame of
 * every case must pass (one heading, the key bar's blank margin row).
 */

/** The sizes the TUI must work at (80×24, and a smaller 60×20): every case runs at both. */
export const sizes = [{columns: 80, rows: 24}, {columns: 60, rows: 20}] as const;
export type Size = (typeof sizes)[number];

/** Only a missing tmux skips (CI installs it). */
export const tmuxSkip = hasTmux() ? undefined : 'skipped: tmux is not installed (apt-get install tmux), so there is no real terminal to drive';

/** A job that ended badly shows one of these; waiting longer would not help. */
export const jobFailed = /Backup failed|Backup cancelled|Restore failed|Restore cancelled/;

/** capture-pane ends the last row with a newline of its own. */
export const rowsOf = (frame: string) => frame.replace(/\n$/, '').split('\n');

/**
 * The key bar: the frame is one row shorter than the terminal (so Ink never clears the whole
 * screen to redraw it), so the bar is the row above the terminal's last, which stays blank.
 */
export const keyBarOf = (frame: string) => rowsOf(frame).at(-2) ?? '';

export const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Backspace `count` times in one write, as a held key delivers it. */
export const erase = (count: number) => Array.from({length: count}, () => 'BSpace');

export interface TuiRun {
	tty: Terminal;
	/** Where the shell writes `EXIT=<status>` once the TUI has exited. */
	exitFile: string;
}

/**
 * Registers the afterEach that kills the terminals and removes the folders a
 * test file made; returns the two makers. Call once at the top of a test file.
 */
export function tmuxCases() {
	const terminals: Terminal[] = [];
	const folders: string[] = [];
	afterEach(() => {
		for (const tty of terminals.splice(0)) tty.kill();
		// Retries: after a failure the TUI may still be winding down a job in there when tmux is killed.
		for (const folder of folders.splice(0)) fs.rmSync(folder, {recursive: true, force: true, maxRetries: 10, retryDelay: 200});
	});
	const folder = (prefix: string) => {
		const dir = fs.realpathSync(tempDir(prefix));
		folders.push(dir);
		return dir;
	};
	/** The built CLI in a terminal of `size`, run from `cwd` with `args` (shell-quoted here) and its own state folder. */
	const startTui = (size: Size, cwd: string, args: string[], env: Record<string, string> = {}): TuiRun => {
		if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first (npm test does).`);
		const exitFile = path.join(cwd, `exit-${size.columns}`);
		const vars = Object.entries({CI: 'true', CRX_BACKUP_STATE_DIR: path.join(cwd, `state-${size.columns}`), ...env}).map(([name, value]) => `${name}=${shellQuote(value)}`).join(' ');
		const script = `${vars} ${shellQuote(process.execPath)} ${shellQuote(cliPath)} ${args.map(shellQuote).join(' ')}; echo "EXIT=$?" > ${shellQuote(exitFile)}`;
		const tty = new Terminal({...size, command: ['sh', '-c', script], cwd});
		terminals.push(tty);
		return {tty, exitFile};
	};
	/**
	 * The TUI started with `args`, Home up and its keys read, then `c`: the Create Backup form, its checks passed
	 * (and its Target `target`, when given). The set-up of every case that begins on the form.
	 */
	const openCreate = async (size: Size, root: string, args: string[], target?: string): Promise<TuiRun> => {
		const run = startTui(size, root, args);
		await run.tty.waitForScreen('crx-backup › Home', 30_000);
		await keysLive(run.tty);
		run.tty.send('c');
		const targetRow = target === undefined ? undefined : new RegExp(`Target\\s+${literal(target)}$`, 'm');
		await run.tty.waitForScreen(frame => onCreate(frame) && frame.includes('✔ ready: Enter starts the backup') && (targetRow?.test(frame) ?? true));
		return run;
	};
	/** openCreate on a small install (makeInstall) in a folder of its own. */
	const openCreateOnInstall = async (size: Size, prefix: string): Promise<TuiRun & {root: string; install: string}> => {
		const root = folder(prefix);
		const {install} = makeInstall(root);
		return {...await openCreate(size, root, ['--repo', install]), root, install};
	};
	/** The TUI on `install` (its backups in `root`), Home up, then `b`: the Backups screen is being drawn. */
	const openBackups = async (size: Size, root: string, install: string): Promise<TuiRun> => {
		const run = startTui(size, root, ['--repo', install]);
		await run.tty.waitForScreen('crx-backup › Home', 30_000);
		run.tty.send('b');
		return run;
	};
	return {folder, startTui, openCreate, openCreateOnInstall, openBackups};
}

/** The Create Backup screen is up. */
export const onCreate = (frame: string) => frame.startsWith('crx-backup › Create Backup');

/** Backups of `install` made by the CLI in `root`, one per name (its own state folder): what a Backups screen lists. */
export async function cliBackups(root: string, install: string, names: readonly string[]): Promise<void> {
	for (const name of names) {
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, name)], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state-cli')}});
		expect(made.code, made.stderr).toBe(0);
	}
}

/**
 * The frame checks over every frame a case captured: exactly one
 * heading, on the first row (no stale screen above or below it), and the row
 * above the key bar blank (nothing of a cut-off body leaks into it).
 */
export function expectCleanFrames(tty: Terminal, size: Size): void {
	const bad = tty.frames.filter(frame => frame.includes('crx-backup ›') && !cleanFrame(frame, size));
	expect(bad, 'frames with a stale heading or a row leaking under the body').toEqual([]);
}

function cleanFrame(frame: string, size: Size): boolean {
	const rows = rowsOf(frame);
	const headings = rows.filter(row => row.includes('crx-backup ›')).length;
	// A frame caught mid-write (a live progress redraw) can be short: the margin check needs the full screen.
	// The frame ends a row above the terminal's last (keyBarOf): that row and the one above the bar are blank.
	const margin = rows.length < size.rows || (rows[size.rows - 3] === '' && rows[size.rows - 1] === '');
	return headings === 1 && rows[0]!.startsWith('crx-backup ›') && margin;
}

/** Waits for the shell's `EXIT=<status>` line: the TUI has exited; returns the status. */
export async function exitStatus(run: TuiRun, timeoutMs = 20_000): Promise<number> {
	await until(() => fs.existsSync(run.exitFile) && fs.readFileSync(run.exitFile, 'utf8').includes('EXIT='), timeoutMs, () => `the TUI to exit; the screen:\n${run.tty.captureUnchecked()}`);
	return Number(/EXIT=(\d+)/.exec(fs.readFileSync(run.exitFile, 'utf8'))![1]);
}

/** Polls `predicate` every 50 ms; throws after `timeoutMs` with `what()`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
	const started = Date.now();
	while (!predicate()) {
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

/** The names in a table on screen, in order, and the one the pointer is on (`› name  …`). */
function tableRows(frame: string, names: readonly string[]): {order: string[]; selected?: string} {
	const order: string[] = [];
	let selected: string | undefined;
	for (const row of rowsOf(frame)) {
		const match = /^([› ]) (\S+)\s/.exec(row);
		if (!match || !names.includes(match[2]!)) continue;
		order.push(match[2]!);
		if (match[1] === '›') selected = match[2];
	}
	return {order, selected};
}

/**
 * Moves a list's pointer to `name` with j/k, all in one write (as a held key
 * delivers them), and waits for it there. `names`: the rows the list holds.
 */
export async function selectRow(tty: Terminal, name: string, names: readonly string[]): Promise<string> {
	const frame = await tty.waitForScreen(frame => {
		const rows = tableRows(frame, names);
		return rows.order.includes(name) && rows.selected !== undefined;
	});
	const {order, selected} = tableRows(frame, names);
	const steps = order.indexOf(name) - order.indexOf(selected!);
	if (steps !== 0) tty.type((steps > 0 ? 'j' : 'k').repeat(Math.abs(steps)));
	return tty.waitForScreen(new RegExp(`^› ${literal(name)}\\s`, 'm'));
}

/** A command as the TUI prints it, wrapped or not: its words with any run of blanks or line breaks between them. */
export const wrappedText = (text: string) => new RegExp(text.split(' ').map(literal).join('\\s+'));

/**
 * Waits for the TUI's first screen without the frame checks: before it, the shell's
 * own lines (the demo's start-up lines) may be wider than the pane, which wraps them.
 */
export async function waitForTui(tty: Terminal, timeoutMs = 60_000): Promise<void> {
	let frame = '';
	await until(() => (frame = tty.captureUnchecked()).startsWith('crx-backup ›'), timeoutMs, () => `the TUI's first screen; the screen:\n${frame}`);
}

/** The focused row's label (`› Label`), if any. */
const focused = (frame: string) => /^\s*› (?:\[.\] )?(\S+(?: \S+)?)/m.exec(frame.split('\n').filter(line => /^\s*› /.test(line)).join('\n'))?.[1];

/** Tab until the row labelled `label` has the focus, one Tab at a time, each seen on screen. */
export async function focusRow(tty: Terminal, label: string): Promise<string> {
	for (let i = 0; i < 60; i++) {
		const frame = tty.capture();
		if (new RegExp(`^\\s*› (?:\\[.\\] )?${label}\\b`, 'm').test(frame)) return frame;
		const before = focused(frame);
		tty.send('Tab');
		await tty.waitForScreen(next => focused(next) !== before);
	}
	throw new Error(`no row ${label}`);
}

/**
 * The first frame is drawn just before the terminal is put in raw mode: a Ctrl+C sent in that instant is the
 * terminal's SIGINT to the whole group, the test's `sh` included. A key that opens Help proves the keys are read.
 */
export async function keysLive(tty: Terminal): Promise<void> {
	tty.send('?');
	// Unchecked: sent in that instant, the terminal echoes the `?` after the key bar until Help replaces the frame.
	await until(() => tty.captureUnchecked().startsWith('crx-backup › Help'), 20_000, () => `Help; the screen:\n${tty.captureUnchecked()}`);
	tty.send('Escape');
	await tty.waitForScreen('crx-backup › Home');
}
