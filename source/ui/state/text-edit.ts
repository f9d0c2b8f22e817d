/**
 * A one-line text field: the text, where the cursor sits (0..text.length), and
 * whether the whole text is selected. A prefilled default is selected when the
 * field gets focus, so typing replaces it (`0` then `5` gives `5`, not `05`);
 * any cursor move keeps the text and drops the selection.
 */
export interface TextValue {
	text: string;
	cursor: number;
	/** The whole text is selected: typing replaces it, Backspace clears it. Absent, never false. */
	selected?: true;
}

export type TextAction =
	| {type: 'insert'; text: string}
	| {type: 'erase'}
	| {type: 'left'}
	| {type: 'right'}
	/** Home or Ctrl+A. */
	| {type: 'home'}
	/** End or Ctrl+E. */
	| {type: 'end'}
	/** Ctrl+U: erase everything before the cursor (readline's unix-line-discard). */
	| {type: 'eraseLine'}
	/** Ctrl+W: erase the word before the cursor (readline's unix-word-rubout: back to the last space or slash). */
	| {type: 'eraseWord'}
	/** Selects the whole text (a form does this when a field holding its untouched default gets focus). */
	| {type: 'selectAll'}
	| {type: 'set'; text: string};

export const textValue = (text = ''): TextValue => ({text, cursor: text.length});

/** A prefilled default: selected from the start when its field opens focused. */
export const defaultValue = (text: string): TextValue => ({text, cursor: text.length, ...(text ? {selected: true} : {})});

const textAt = (text: string, cursor: number): TextValue => ({text, cursor});

/** Pure edits shared by every form (Create Backup and its options, the restore wizard). */
export function editText(value: TextValue, action: TextAction): TextValue {
	const {text, cursor} = value;
	if (value.selected) {
		// A selection is replaced by what is typed and cleared by the erasers; a move keeps the text.
		if (action.type === 'insert') return textAt(action.text, action.text.length);
		if (action.type === 'erase' || action.type === 'eraseLine' || action.type === 'eraseWord') return textAt('', 0);
		if (action.type === 'left' || action.type === 'home') return {text, cursor: 0};
		if (action.type === 'right' || action.type === 'end') return {text, cursor: text.length};
	}
	switch (action.type) {
		case 'insert':
			return textAt(text.slice(0, cursor) + action.text + text.slice(cursor), cursor + action.text.length);
		case 'erase':
			return cursor === 0 ? value : textAt(text.slice(0, cursor - 1) + text.slice(cursor), cursor - 1);
		case 'left':
			return {...value, cursor: Math.max(0, cursor - 1)};
		case 'right':
			return {...value, cursor: Math.min(text.length, cursor + 1)};
		case 'home':
			return {...value, cursor: 0};
		case 'end':
			return {...value, cursor: text.length};
		case 'eraseLine':
			return cursor === 0 ? value : textAt(text.slice(cursor), 0);
		case 'eraseWord': {
			if (cursor === 0) return value;
			// Trailing separators first, then the word: `/opt/aem/` → `/opt/`, `a b` → `a `.
			let start = cursor;
			while (start > 0 && /[\s/]/.test(text[start - 1]!)) start--;
			while (start > 0 && !/[\s/]/.test(text[start - 1]!)) start--;
			return textAt(text.slice(0, start) + text.slice(cursor), start);
		}
		case 'selectAll':
			return text === '' ? value : {text, cursor: text.length, selected: true};
		case 'set':
			return textValue(action.text);
	}
}
