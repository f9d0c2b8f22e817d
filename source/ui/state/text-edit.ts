/** A one-line text field: the text and where the cursor sits (0..text.length). */
export interface TextValue {
	text: string;
	cursor: number;
}

export type TextAction =
	| {type: 'insert'; text: string}
	| {type: 'erase'}
	| {type: 'left'}
	| {type: 'right'}
	| {type: 'set'; text: string};

export const textValue = (text = ''): TextValue => ({text, cursor: text.length});

/** Pure edits shared by every form (Create Backup, the restore destination). */
export function editText(value: TextValue, action: TextAction): TextValue {
	const {text, cursor} = value;
	switch (action.type) {
		case 'insert':
			return {text: text.slice(0, cursor) + action.text + text.slice(cursor), cursor: cursor + action.text.length};
		case 'erase':
			return cursor === 0 ? value : {text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1};
		case 'left':
			return {text, cursor: Math.max(0, cursor - 1)};
		case 'right':
			return {text, cursor: Math.min(text.length, cursor + 1)};
		case 'set':
			return textValue(action.text);
	}
}
