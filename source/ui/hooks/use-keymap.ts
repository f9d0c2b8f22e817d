import {useInput, type Key} from 'ink';
import {useRef} from 'react';
import {keyNameOf, typedText, type KeyName} from '../keys.js';
import {barEntries, type KeyEntry, type Keymap} from '../keymaps.js';

/** Backspace as terminals send it: DEL (0x7f), or BS (0x08) on some. */
const erasures = /[\b\x7f]/;
/** The key flags of a plain printable chunk, for typedText. */
const plainKey = {} as Key;

export type KeyHandlers = Partial<Record<KeyName, () => void>>;

export interface KeymapOptions {
	/** Only the focused screen listens (every useInput in the TUI passes isActive). */
	isActive: boolean;
	/** When a text field has focus: printable keys type into it instead of triggering letters like `j` or `d`. */
	onText?: (text: string) => void;
}

/**
 * One useInput per screen state. The keymap (keymaps.ts) says which meanings
 * this state has; `handlers` binds them. A handler for a meaning the keymap
 * lacks is never called, so what the key bar and the help show is what works.
 * With a focused text field, only non-printable meanings (Enter, Esc, Tab,
 * arrows, Backspace) stay bound and everything printable is typed.
 * Returns the key bar's entries.
 */
export function useKeymap(keymap: Keymap, handlers: KeyHandlers, options: KeymapOptions): KeyEntry[] {
	// Read the latest handlers at keypress time without re-subscribing every render.
	const latest = useRef({keymap, handlers, options});
	latest.current = {keymap, handlers, options};
	useInput((input, key) => {
		const {keymap, handlers, options} = latest.current;
		// Ink parses a read from stdin as one key only when it holds one: a held Backspace
		// over SSH, or `tmux send-keys BSpace BSpace`, arrives as "\x7f\x7f…" with no key
		// flags and would be dropped whole. Replay such a chunk key by key, in order.
		if (input.length > 1 && !key.ctrl && !key.meta && erasures.test(input)) {
			const erase = bound(keymap, handlers, 'erase') ? handlers.erase : undefined;
			for (const part of input.match(/[\b\x7f]|[^\b\x7f]+/g) ?? []) {
				if (part === '\b' || part === '\x7f') erase?.();
				else if (options.onText) {
					const text = typedText(part, plainKey);
					if (text !== undefined) options.onText(text);
				}
			}
			return;
		}
		const text = options.onText ? typedText(input, key) : undefined;
		if (text !== undefined) {
			options.onText!(text);
			return;
		}
		const names = (Object.keys(handlers) as KeyName[]).filter(name => bound(keymap, handlers, name));
		const name = keyNameOf(input, key, names);
		if (name) handlers[name]!();
	}, {isActive: options.isActive});
	return barEntries(keymap, name => bound(keymap, handlers, name));
}

function bound(keymap: Keymap, handlers: KeyHandlers, name: KeyName): boolean {
	return handlers[name] !== undefined && keymap.some(entry => entry.keys.includes(name));
}
