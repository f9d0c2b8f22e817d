import type {Key} from 'ink';

/**
 * Every key the TUI understands, by meaning: what it is called and how it is
 * matched, in exactly one place. Which meanings a screen state has, and what
 * they do there, is keymaps.ts; screens bind handlers to them (`useKeymap`).
 */
export type KeyName =
	| 'up' | 'down' | 'left' | 'right'
	| 'confirm' | 'back' | 'quit' | 'help' | 'interrupt'
	| 'nextField' | 'prevField' | 'toggle' | 'erase'
	| 'create' | 'backups' | 'restore' | 'progress'
	| 'delete' | 'verify' | 'drill' | 'cancelJob' | 'yes' | 'no'
	| 'lineStart' | 'lineEnd' | 'eraseLine' | 'eraseWord' | 'datastoreGc'
	| 'pageUp' | 'pageDown' | 'first' | 'last' | 'filter' | 'log' | 'cycleMethod'
	/** Any printable key in a focused text field: never matched as a meaning (the field takes it as text), only described. */
	| 'text';

interface Binding {
	/** What the key bar shows. */
	label: string;
	matches: (input: string, key: Key) => boolean;
}

const char = (...chars: string[]) => (input: string, key: Key) => !key.ctrl && !key.meta && chars.includes(input);

export const bindings: Record<KeyName, Binding> = {
	up: {label: '↑/k', matches: (input, key) => key.upArrow || char('k')(input, key)},
	down: {label: '↓/j', matches: (input, key) => key.downArrow || char('j')(input, key)},
	left: {label: '←', matches: (_input, key) => key.leftArrow},
	right: {label: '→', matches: (_input, key) => key.rightArrow},
	confirm: {label: 'Enter', matches: (_input, key) => key.return},
	back: {label: 'Esc', matches: (_input, key) => key.escape},
	quit: {label: 'q', matches: char('q')},
	help: {label: '?', matches: char('?')},
	interrupt: {label: 'Ctrl+C', matches: (input, key) => key.ctrl && input === 'c'},
	nextField: {label: 'Tab', matches: (_input, key) => key.tab && !key.shift},
	prevField: {label: 'Shift+Tab', matches: (_input, key) => key.tab && key.shift},
	toggle: {label: 'Space', matches: char(' ')},
	// Terminals send DEL (0x7f) for Backspace and Ink reports it as `delete`: treat both as erase.
	erase: {label: 'Backspace', matches: (_input, key) => key.backspace || key.delete},
	create: {label: 'c', matches: char('c')},
	backups: {label: 'b', matches: char('b')},
	restore: {label: 'r', matches: char('r')},
	progress: {label: 'p', matches: char('p')},
	delete: {label: 'd', matches: char('d')},
	verify: {label: 'v', matches: char('v')},
	// t, a trial restore: d is delete, and a drill must never be one slip of the finger from it.
	drill: {label: 't', matches: char('t')},
	cancelJob: {label: 'x', matches: char('x')},
	yes: {label: 'y', matches: char('y', 'Y')},
	no: {label: 'n', matches: char('n', 'N')},
	// Text fields, as readline has them (bash, ssh prompts): what an operator's fingers already know.
	lineStart: {label: 'Home/Ctrl+A', matches: (input, key) => key.home || (key.ctrl && input === 'a')},
	lineEnd: {label: 'End/Ctrl+E', matches: (input, key) => key.end || (key.ctrl && input === 'e')},
	eraseLine: {label: 'Ctrl+U', matches: (input, key) => key.ctrl && input === 'u'},
	eraseWord: {label: 'Ctrl+W', matches: (input, key) => key.ctrl && input === 'w'},
	datastoreGc: {label: 'g', matches: char('g')},
	pageUp: {label: 'PgUp', matches: (_input, key) => key.pageUp},
	pageDown: {label: 'PgDn', matches: (_input, key) => key.pageDown},
	// Home/End arrive as `\x1b[H`/`\x1b[F` or `\x1b[1~`/`\x1b[4~` (and rxvt's 7~/8~): Ink names them all.
	first: {label: 'g/Home', matches: (input, key) => key.home || char('g')(input, key)},
	last: {label: 'G/End', matches: (input, key) => key.end || char('G')(input, key)},
	filter: {label: '/', matches: char('/')},
	log: {label: 'l', matches: char('l')},
	// A control key, so it never takes a character typed into a field.
	cycleMethod: {label: 'Ctrl+O', matches: (input, key) => key.ctrl && input === 'o'},
	text: {label: 'a-z', matches: () => false},
};

/** The first meaning among `names` that this keypress has, if any. Order matters: list specific meanings first. */
export function keyNameOf(input: string, key: Key, names: readonly KeyName[]): KeyName | undefined {
	return names.find(name => bindings[name].matches(input, key));
}

/** Text a keypress types into a field: printable, no control or escape sequences. */
export function typedText(input: string, key: Key): string | undefined {
	if (key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete) return undefined;
	if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return undefined;
	// `?` is reserved for help on every screen, so it is never typed into a field.
	const clean = input.replace(/[\u0000-\u001F\u007F?]/g, '');
	return clean === '' ? undefined : clean;
}
