import process from 'node:process';

/** DEC private mode 1049: save the cursor, switch to the alternate buffer, clear it (and back). */
const enter = '\u001B[?1049h';
const leave = '\u001B[?1049l';
/** Ink hides the cursor while it draws; a crash must not leave it hidden. */
const showCursor = '\u001B[?25h';

export interface FullScreen {
	/** Back to the normal buffer (idempotent); the shell's screen is as it was before. */
	restore: () => void;
	/** The stream Ink draws on: stdout without "erase the scrollback" (see below). */
	stdout: NodeJS.WriteStream;
}

/** ED 3: erase the saved lines. tmux and xterm apply it to the shell's scrollback even from the alternate buffer. */
const eraseScrollback = '\u001B[3J';

/**
 * A frame as tall as the terminal makes Ink clear it with `\x1b[2J\x1b[3J\x1b[H`
 * before every draw (its full-screen path), and the 3J would wipe the operator's
 * scrollback (in tmux: every line above the prompt). In the alternate buffer 2J is
 * all that is needed, so 3J is dropped from what Ink writes; all else passes through.
 */
function withoutScrollbackErase(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]) =>
		(stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? chunk.replaceAll(eraseScrollback, '') : chunk, ...rest);
	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}

/**
 * Runs the TUI in the terminal's alternate buffer, as full-screen tools do
 * (gemini-cli does the same; Ink 6.8 has no option for it,
 * https://github.com/vadimdemedes/ink/issues/263): entered before Ink's first
 * frame, left on every way out (the caller's finally on quit and signals, and
 * here on an uncaught exception, an unhandled rejection or any process exit),
 * so the operator's shell is never left under a dead frame.
 * A crash's message is printed after the screen is restored, where it stays visible.
 */
export function enterFullScreen(stdout: NodeJS.WriteStream = process.stdout): FullScreen {
	let active = true;
	const restore = () => {
		if (!active) return;
		active = false;
		stdout.write(showCursor + leave);
		process.off('exit', restore);
		process.off('uncaughtException', crash);
		process.off('unhandledRejection', crash);
	};
	const crash = (error: unknown) => {
		restore();
		const debug = process.argv.includes('--debug');
		process.stderr.write(`crx-backup: the TUI stopped on an unexpected error: ${error instanceof Error ? (debug ? error.stack : error.message) : String(error)}\n`);
		process.exit(1);
	};
	stdout.write(enter);
	process.on('exit', restore);
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	return {restore, stdout: withoutScrollbackErase(stdout)};
}
