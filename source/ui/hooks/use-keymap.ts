import {useKeyListener} from '../input/key-dispatcher.js';
import {keyNameOf, typedText, type KeyName} from '../keys.js';
import {barEntries, type KeyEntry, type Keymap} from '../keymaps.js';

export type KeyHandlers = Partial<Record<KeyName, () => void>>;

export interface KeymapOptions {
	/** Only the focused screen listens. */
	isActive: boolean;
	/**
	 * When a text field has focus: printable keys type into it instead of triggering letters like `j` or `d`.
	 * Returning false leaves the key to the keymap (and then the root): a list's type-to-jump that found nothing.
	 */
	onText?: (text: string) => boolean | void;
	/** Keys wait (in order) until the screen can take them: its list is still loading. */
	busy?: boolean;
	/** The app's own keys (help, quit, Ctrl+C): they get a key only when the screen did not take it. */
	root?: boolean;
}

/**
 * One keymap per screen state. The keymap (keymaps.ts) says which meanings
 * this state has; `handlers` binds them. A handler for a meaning the keymap
 * lacks is never called, so what the key bar and the help show is what works.
 * With a focused text field, only non-printable meanings (Enter, Esc, Tab,
 * arrows, Backspace) stay bound and everything printable is typed.
 * Keys come one at a time from the app's KeyDispatcher (a chunk is split there).
 * Returns the key bar's entries.
 */
export function useKeymap(keymap: Keymap, handlers: KeyHandlers, options: KeymapOptions): KeyEntry[] {
	useKeyListener({
		isActive: options.isActive,
		root: options.root,
		takesText: options.onText !== undefined,
		busy: options.busy,
		handle(input, key) {
			const text = options.onText ? typedText(input, key) : undefined;
			if (text !== undefined && options.onText!(text) !== false) return true;
			const names = (Object.keys(handlers) as KeyName[]).filter(name => bound(keymap, handlers, name));
			const name = keyNameOf(input, key, names);
			if (!name) return false;
			handlers[name]!();
			return true;
		},
	});
	return barEntries(keymap, name => bound(keymap, handlers, name));
}

function bound(keymap: Keymap, handlers: KeyHandlers, name: KeyName): boolean {
	return handlers[name] !== undefined && keymap.some(entry => entry.keys.includes(name));
}
