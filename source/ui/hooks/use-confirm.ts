import {useReducer} from 'react';
import {answerOf, confirmKeys, confirmReducer, type ConfirmState} from '../state/confirm.js';
import type {KeyHandlers} from './use-keymap.js';

export interface ConfirmHook<Id extends string> {
	pending: ConfirmState<Id>;
	ask: (id: Id, question: string) => void;
	/** The keymap while a question is open: y runs `onYes(id)`, n/Esc/Enter close it. */
	handlers: (onYes: (id: Id) => void) => KeyHandlers;
}

export function useConfirm<Id extends string>(): ConfirmHook<Id> {
	const [pending, dispatch] = useReducer(confirmReducer<Id>, undefined);
	const ask = (id: Id, question: string) => dispatch({type: 'ask', id, question});
	const handlers = (onYes: (id: Id) => void): KeyHandlers => Object.fromEntries(confirmKeys.map(name => [name, () => {
		dispatch({type: 'close'});
		if (pending && answerOf(name) === 'yes') onYes(pending.id);
	}]));
	return {pending, ask, handlers};
}
