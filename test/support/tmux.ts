import {execFileSync, spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';

/**
 * A real terminal for end-to-end tests: one detached tmux session on a private
 * server (its own socket, so parallel test files and a developer's own tmux never
 * meet). Frames are read with `capture-pane`, keys written with `send-keys`.
 */

export const hasTmux = (): boolean => spawnSync('tmux', ['-V'], {stdio: 'ignore'}).status === 0;

/** A frame passes a string (contained), a pattern, or a predicate. */
export type ScreenPredicate = string | RegExp | ((frame: string) => boolean);

export interface TerminalOptions {
	columns: number;
	rows: number;
	/** argv of the pane's process, run directly (no shell of tmux's own). */
	command: string[];
	cwd?: string;
}

/** Quotes one word for `sh -c`. */
export const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

const matches = (frame: string, predicate: ScreenPredicate): boolean =>
	typeof predicate === 'string' ? frame.includes(predicate) : predicate instanceof RegExp ? predicate.test(frame) : predicate(frame);

/** A Node stack frame as `error.stack` prints it: "    at fn (/path/file.js:12:5)". */
const stackLine = /^\s+at .*:\d+:\d+\)?\s*$/m;

export class Terminal {
	readonly socket = `crx-e2e-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
	/** Every frame captured so far, in order: tests look back at what flashed by. */
	readonly frames: string[] = [];
	private columns: number;
	/** tmux leaves its socket file behind after kill-server; removed in kill(). */
	private readonly socketPath: string;

	constructor(options: TerminalOptions) {
		this.columns = options.columns;
		// remain-on-exit keeps the pane (and its last frame and exit status) after the process ends.
		this.tmux('new-session', '-d', '-s', 'e2e', '-x', String(options.columns), '-y', String(options.rows), ...(options.cwd ? ['-c', options.cwd] : []),
			...options.command, ';', 'set-option', '-g', 'remain-on-exit', 'on');
		this.socketPath = this.tmux('display-message', '-p', '#{socket_path}').trim();
	}

	/** `-f /dev/null`: no user configuration; `-u`: UTF-8 whatever the locale, so ✔ and █ come back as they are. */
	tmux(...args: string[]): string {
		const env = {...process.env};
		delete env.TMUX; // inside a developer's tmux, still start a server of our own
		return execFileSync('tmux', ['-u', '-f', '/dev/null', '-L', this.socket, ...args], {encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe']});
	}

	/** Named keys as tmux spells them: 'Enter', 'Escape', 'BSpace', 'Space', 'C-c', or single characters. */
	send(...keys: string[]): void {
		this.tmux('send-keys', '-t', 'e2e', ...keys);
	}

	/** Literal text, typed as is (one write, as a paste or a fast typist delivers it). */
	type(text: string): void {
		this.tmux('send-keys', '-t', 'e2e', '-l', text);
	}

	/**
	 * The visible screen, wrapped lines joined (-J): a line the TUI drew wider than
	 * the terminal comes back longer than `columns` instead of silently wrapping.
	 * Every frame is checked for that and for a raw stack trace.
	 */
	capture(): string {
		const frame = this.captureUnchecked();
		this.frames.push(frame);
		const wide = frame.split('\n').find(line => [...line].length > this.columns);
		if (wide !== undefined) throw new Error(`A line is wider than ${this.columns} columns (${[...wide].length}):\n${wide}\n--- frame ---\n${frame}`);
		if (stackLine.test(frame)) throw new Error(`The screen shows a stack trace:\n${frame}`);
		return frame;
	}

	/**
	 * Polls the screen every ~50 ms until `predicate` holds; throws with the last
	 * frame after `timeoutMs`, or at once when `failOn` shows up (no point waiting out a failure).
	 */
	async waitForScreen(predicate: ScreenPredicate, timeoutMs = 20_000, failOn?: RegExp): Promise<string> {
		const started = Date.now();
		for (;;) {
			const frame = this.capture();
			if (matches(frame, predicate)) return frame;
			if (failOn?.test(frame)) throw new Error(`The screen shows ${failOn} while waiting for ${String(predicate)}:\n${frame}`);
			if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${String(predicate)}; the screen:\n${frame}`);
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	}

	/**
	 * The screen without the checks: for the moment right after a resize (the old frame,
	 * cut or wrapped by tmux, until the TUI redraws) and for the shell's own lines after quitting.
	 */
	captureUnchecked(): string {
		// -J keeps trailing spaces; they are not drawn text, so they go before anything is measured or matched.
		return this.tmux('capture-pane', '-p', '-J', '-t', 'e2e').split('\n').map(line => line.trimEnd()).join('\n');
	}

	/** Resizes the window (the TUI gets SIGWINCH); later captures are checked against the new width. */
	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', 'e2e', '-x', String(columns), '-y', String(rows));
		this.columns = columns;
	}

	/**
	 * Appends every byte the pane's program writes from now on to `file` (tmux pipe-pane), until
	 * `stopRecording`: what the TUI really sent, escape sequences included, not what the screen shows.
	 */
	record(file: string): void {
		this.tmux('pipe-pane', '-o', '-t', 'e2e', `cat >> ${shellQuote(file)}`);
	}

	stopRecording(): void {
		this.tmux('pipe-pane', '-t', 'e2e');
	}

	/** Whether the pane's process has exited, and its exit status (with remain-on-exit on). */
	pane(): {dead: boolean; status?: number} {
		const [dead, status] = this.tmux('list-panes', '-t', 'e2e', '-F', '#{pane_dead} #{pane_dead_status}').trim().split(' ');
		return {dead: dead === '1', status: status ? Number(status) : undefined};
	}

	/** Ends the server and everything in it (the TUI gets SIGHUP); safe to call twice. */
	kill(): void {
		try {
			this.tmux('kill-server');
		} catch {
			// Already gone.
		}
		fs.rmSync(this.socketPath, {force: true});
	}
}

/**
 * The part of a frame that belongs to the screen on top: from its title line
 * down. (Once, Ink's <Static> output stayed above it; the TUI now runs
 * full screen, so this is the whole frame, and a second title would be a defect.)
 */
export function currentScreen(frame: string): string {
	const lines = frame.split('\n');
	let start = 0;
	lines.forEach((line, index) => {
		if (line.startsWith('crx-backup › ')) start = index;
	});
	return lines.slice(start).join('\n');
}
