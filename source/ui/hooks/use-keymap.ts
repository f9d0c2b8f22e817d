import {useInput} from 'ink';
import {useRef} from 'react';
import {keyNameOf, typedText, type KeyName} from '../keys.js';

export type KeyHandlers = Partial<Record<KeyName, () => void>>;

export interface KeymapOptions {
	/** Only the focused screen listens (every useInput in the TUI passes isActive). */
	isActive: boolean;
	/** When a text field has focus: printable keys type into it instead of triggering letters like `j` or `d`. */
	onText?: (text: string) => void;
}

/**
 * One useInput per screen. Handlers are bound by meaning (see keys.ts); with a
 * focused text field, only non-printable meanings (Enter, Esc, Tab, arrows,
 * Backspace) stay bound and everything printable is typed.
 */
export function useKeymap(handlers: KeyHandlers, options: KeymapOptions): void {
	// Read the latest handlers at keypress time without re-subscribing every render.
	const latest = useRef({handlers, options});
	latest.current = {handlers, options};
	useInput((input, key) => {
		const {handlers, options} = latest.current;
		const text = options.onText ? typedText(input, key) : undefined;
		if (text !== undefined) {
			options.onText!(text);
			return;
		}
		const name = keyNameOf(input, key, Object.keys(handlers) as KeyName[]);
		if (name) handlers[name]!();
	}, {isActive: options.isActive});
}
