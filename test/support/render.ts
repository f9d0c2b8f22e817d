import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';

/**
 * ink-testing-library's harness with a terminal size of our choosing (its stdout
 * is fixed at 100 columns) and an event per frame, so tests wait for a frame
 * instead of sleeping.
 */
class Stdout extends EventEmitter {
	frames: string[] = [];
	isTTY = true;
	constructor(public columns: number, public rows: number) {
		super();
	}

	write = (frame: string) => {
		this.frames.push(frame);
		this.emit('frame', frame);
		return true;
	};

	lastFrame = () => this.frames.at(-1) ?? '';
}

class Stdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export interface Rendered {
	stdout: Stdout;
	stdin: Stdin;
	lastFrame: () => string;
	frames: string[];
	unmount: () => void;
	waitUntilExit: () => Promise<unknown>;
}

export function renderAt(tree: ReactElement, {columns = 80, rows = 24} = {}): Rendered {
	const stdout = new Stdout(columns, rows);
	const stderr = new Stdout(columns, rows);
	const stdin = new Stdin();
	const instance = inkRender(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		// Debug mode writes every frame whole (static output included), which is what tests read.
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {stdout, stdin, lastFrame: stdout.lastFrame, frames: stdout.frames, unmount: instance.unmount, waitUntilExit: instance.waitUntilExit};
}

const ansi = /\u001B\[[0-9;?]*[A-Za-z]/g;
export const stripAnsi = (text: string): string => text.replace(ansi, '');

type FramePredicate = string | RegExp | ((frame: string) => boolean);

const test = (predicate: FramePredicate, frame: string) => {
	const plain = stripAnsi(frame);
	if (typeof predicate === 'string') return plain.includes(predicate);
	if (predicate instanceof RegExp) return predicate.test(plain);
	return predicate(plain);
};

/**
 * Ink writes a frame at commit, before React runs the passive effects that (re)attach
 * useInput listeners: wait one macrotask so the next key reaches the new screen.
 */
const settle = () => new Promise(resolve => setImmediate(resolve));

/**
 * The longest a frame may take before a wait gives up: a bound for a test that is failing, never a claim about speed
 * (a frame that comes resolves the wait at once), so it is long enough for a machine with every core busy.
 */
const frameTimeoutMs = 20_000;

/** Resolves with the first frame (ANSI stripped) that passes; rejects with the last one after `timeoutMs`. */
export async function waitForFrame(rendered: Pick<Rendered, 'stdout'>, predicate: FramePredicate, timeoutMs = frameTimeoutMs): Promise<string> {
	const frame = await nextMatchingFrame(rendered, predicate, timeoutMs);
	await settle();
	return frame;
}

function nextMatchingFrame(rendered: Pick<Rendered, 'stdout'>, predicate: FramePredicate, timeoutMs: number): Promise<string> {
	const {stdout} = rendered;
	return new Promise((resolve, reject) => {
		if (test(predicate, stdout.lastFrame())) return resolve(stripAnsi(stdout.lastFrame()));
		const onFrame = (frame: string) => {
			if (!test(predicate, frame)) return;
			clearTimeout(timer);
			stdout.off('frame', onFrame);
			resolve(stripAnsi(frame));
		};
		const timer = setTimeout(() => {
			stdout.off('frame', onFrame);
			reject(new Error(`No frame matched ${String(predicate)} within ${timeoutMs} ms. Last frame:\n${stripAnsi(stdout.lastFrame())}`));
		}, timeoutMs);
		stdout.on('frame', onFrame);
	});
}

/** Types `keys` and waits for a frame that passes. */
export async function sendAndWait(rendered: Pick<Rendered, 'stdout' | 'stdin'>, keys: string, predicate: FramePredicate, timeoutMs = frameTimeoutMs): Promise<string> {
	rendered.stdin.write(keys);
	return waitForFrame(rendered, predicate, timeoutMs);
}

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	left: '\u001B[D',
	right: '\u001B[C',
	enter: '\r',
	tab: '\t',
	// A lone ESC is held by Ink's input parser until the next tick (setImmediate), then emitted as Escape.
	escape: '\u001B',
	backspace: '\u007F',
	home: '\u001B[H',
	end: '\u001B[F',
	ctrlC: '\u0003',
	space: ' ',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
} as const;

/** Lines of the frame (ANSI stripped) wider than `columns`. */
export const tooWide = (frame: string, columns: number): string[] =>
	stripAnsi(frame).split('\n').filter(line => [...line].length > columns);
