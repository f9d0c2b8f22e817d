import process from 'node:process';

/** DEC private mode 1049: save the cursor, switch to the alternate buffer, clear it (and back). */
const enter = '\u001B[?1049h';
const leave = '\u001B[?1049l';
/** Ink hides the cursor while it draws; a crash must not leave it hidden. */
const showCursor = '\u001B[?25h';

export interface FullScreen {
	/** Back to the normal buffer (idempotent); the shell's screen is as it was before. */
	restore: () => void;
	/** The stream Ink draws on: stdout with the frame pinned to the top (pinToTop). */
	stdout: NodeJS.WriteStream;
}

/** ED 3: erase the saved lines. tmux and xterm apply it to the shell's scrollback even from the alternate buffer. */
const eraseScrollback = '\u001B[3J';
const home = '\u001B[H';
/** ED 0: erase from the cursor to the end of the screen (what was below a frame that got shorter). */
const eraseBelow = '\u001B[J';
/** ansi-escapes' eraseLines(n), as Ink's log-update starts a write with it: n × "erase line", moving up between. */
const eraseLinesPrefix = /^(?:\u001B\[2K\u001B\[1A)*\u001B\[2K\u001B\[G/;
const cursorUpPrefix = /^\u001B\[(\d+)A/;

/**
 * Ink's writes with the frame pinned to the top of the alternate buffer. Ink moves back to the
 * frame's first line relatively (cursor up), and 6.8's incremental renderer goes up one line too few
 * when the frame ends with a newline (log-update's createIncremental: `cursorUp(previousVisible - 1)`
 * from the line below the frame), so every diff landed a row low and the screen crept. The frame
 * is always the first thing on this screen, so "back to its top" is written as cursor-home instead:
 * - a diff (cursor up n, then the changed lines): home;
 * - a shorter frame (erase lines, cursor up to its top): erase what is below its new last line, home;
 * - a clear (erase lines alone, before a fresh frame): home, erase below.
 * And 3J is dropped: Ink's clearTerminal (a resize to fewer rows) would wipe the shell's scrollback.
 */
export function pinToTop(chunk: string): string {
	let text = chunk.replaceAll(eraseScrollback, '');
	const erased = eraseLinesPrefix.exec(text);
	if (erased) {
		const rest = text.slice(erased[0].length);
		const up = cursorUpPrefix.exec(rest);
		text = up ? `\u001B[${Number(up[1]) + 1};1H${eraseBelow}${home}${rest.slice(up[0].length)}` : `${home}${eraseBelow}${rest}`;
	} else {
		const up = cursorUpPrefix.exec(text);
		if (up) text = home + text.slice(up[0].length);
	}
	return text;
}

/** What Ink draws on: stdout with every string written through pinToTop; all else passes through. */
function pinnedStream(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]) =>
		(stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? pinToTop(chunk) : chunk, ...rest);
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
	// Home: the frame's first line is the screen's first (pinToTop), wherever the shell left the cursor.
	stdout.write(enter + home);
	process.on('exit', restore);
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	return {restore, stdout: pinnedStream(stdout)};
}
