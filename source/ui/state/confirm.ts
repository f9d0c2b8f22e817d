import type {KeyName} from '../keys.js';

/** A pending y/N question; `id` says what a yes does (the screen maps it to an action). */
export type ConfirmState<Id extends string = string> = {id: Id; question: string} | undefined;

export type ConfirmAction<Id extends string = string> =
	| {type: 'ask'; id: Id; question: string}
	| {type: 'close'};

export function confirmReducer<Id extends string>(state: ConfirmState<Id>, action: ConfirmAction<Id>): ConfirmState<Id> {
	switch (action.type) {
		case 'ask':
			return {id: action.id, question: action.question};
		case 'close':
			return undefined;
	}
}

/** y/N: only `y` says yes; n, Esc and Enter (the capital N default) say no; anything else is ignored. */
export function answerOf(name: KeyName | undefined): 'yes' | 'no' | undefined {
	if (name === 'yes') return 'yes';
	if (name === 'no' || name === 'back' || name === 'confirm') return 'no';
	return undefined;
}

export const confirmKeys: KeyName[] = ['yes', 'no', 'back', 'confirm'];
