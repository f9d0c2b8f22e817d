import type {KeyName} from '../keys.js';
import type {TextAction} from './text-edit.js';

/** The editing keys of a focused text field and the edit each one makes (keymaps.ts lists them as `textEditing`). */
const editsByKey = {
	left: {type: 'left'},
	right: {type: 'right'},
	erase: {type: 'erase'},
	lineStart: {type: 'home'},
	lineEnd: {type: 'end'},
	eraseLine: {type: 'eraseLine'},
	eraseWord: {type: 'eraseWord'},
} as const satisfies Partial<Record<KeyName, TextAction>>;

export type TextKey = keyof typeof editsByKey;
export const textKeys = Object.keys(editsByKey) as TextKey[];

/** Handlers for useKeymap that feed every editing key of a field to `edit`. */
export function textKeyHandlers(edit: (action: TextAction) => void): Record<TextKey, () => void> {
	return Object.fromEntries(textKeys.map(name => [name, () => edit(editsByKey[name])])) as Record<TextKey, () => void>;
}
