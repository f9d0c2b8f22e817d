import type {Key} from 'ink';

/** One keypress as a keymap sees it. */
export interface KeyPress {
	input: string;
	key: Key;
}

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false,
	pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false,
	backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

/** Flags that make Ink's event one named key, not a run of characters. */
const named = (key: Key) => key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageDown || key.pageUp || key.home
	|| key.end || key.return || key.escape || key.ctrl || key.meta || key.tab || key.backspace || key.delete;

/**
 * One character as Ink would report it alone: Enter `\r`, Tab, DEL (Backspace on
 * most terminals, which Ink calls `delete`), BS, Ctrl+letter (0x01–0x1a), or text.
 */
export function keyOfChar(char: string): KeyPress {
	if (char === '\r') return {input: '\r', key: {...noKey, return: true}};
	if (char === '\t') return {input: '', key: {...noKey, tab: true}};
	if (char === '\x7f') return {input: '', key: {...noKey, delete: true}};
	if (char === '\b') return {input: '', key: {...noKey, backspace: true}};
	const code = char.codePointAt(0)!;
	if (code >= 1 && code <= 26 && char !== '\n') return {input: String.fromCodePoint(code + 96), key: {...noKey, ctrl: true}};
	return {input: char, key: {...noKey, shift: /^[A-Z]$/.test(char)}};
}

/**
 * Ink cuts a read from stdin at escape sequences (arrows, PgUp `\x1b[5~`, Home
 * `\x1b[H` or `\x1b[1~`…) and reports each as one key, but hands a run of plain
 * characters over whole: `jjj`, `bd`, `nightly2\t` arrive as one `input` with no
 * flags (fast typing, a paste, SSH batching). Split such a run into its
 * characters, in order, so every one of them is a key of its own.
 */
export function splitKeys(input: string, key: Key): KeyPress[] {
	const chars = [...input];
	if (chars.length <= 1 || named(key)) return [{input, key}];
	return chars.map(char => keyOfChar(char));
}
