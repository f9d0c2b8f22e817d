import {parseDelay as parseDelayOption} from '../../engine/index.js';
import type {BackupTarget, Preflight} from '../../engine/types.js';
import {editText, textValue, type TextAction, type TextValue} from './text-edit.js';

export type CreateField = 'target' | 'delay';

export interface CreateFormState {
	target: TextValue;
	delay: TextValue;
	focus: CreateField;
}

export type CreateFormAction =
	| {type: 'edit'; edit: TextAction}
	| {type: 'focus'; direction: 'next' | 'prev'};

const fields: CreateField[] = ['target', 'delay'];

export const initialCreateForm = (target: string, delay = '0'): CreateFormState => ({target: textValue(target), delay: textValue(delay), focus: 'target'});

export function createFormReducer(state: CreateFormState, action: CreateFormAction): CreateFormState {
	switch (action.type) {
		case 'edit':
			return {...state, [state.focus]: editText(state[state.focus], action.edit)};
		case 'focus': {
			const step = action.direction === 'next' ? 1 : -1;
			const index = (fields.indexOf(state.focus) + step + fields.length) % fields.length;
			return {...state, focus: fields[index]!};
		}
	}
}

export type Parsed<T> = {ok: true; value: T} | {ok: false; reason: string};

/** An engine rule's answer as a field shows it: the value, or the one sentence it threw. */
function parsed<T>(parse: () => T): Parsed<T> {
	try {
		return {ok: true, value: parse()};
	} catch (error) {
		return {ok: false, reason: (error as Error).message};
	}
}

/** The Delay field: the engine's --delay rule, so the form and the CLI refuse the same values with the same sentence. */
export const parseDelay = (text: string): Parsed<number> => parsed(() => parseDelayOption(text));

/** The Target field through the engine's resolver, which throws a one-sentence usage error for a bad target. */
export const parseTarget = (text: string, resolve: (text: string) => BackupTarget): Parsed<BackupTarget> => parsed(() => resolve(text));

export interface CreateFormCheck {
	target: Parsed<BackupTarget>;
	delay: Parsed<number>;
}

export function checkCreateForm(state: CreateFormState, resolve: (text: string) => BackupTarget): CreateFormCheck {
	return {target: parseTarget(state.target.text, resolve), delay: parseDelay(state.delay.text)};
}

/**
 * Enter starts only when both fields parse and the preflight on screen is for
 * exactly these inputs (not a stale one still being replaced) and has no errors.
 */
export function canStart(check: CreateFormCheck, preflight: Preflight | undefined): boolean {
	if (!check.target.ok || !check.delay.ok || !preflight) return false;
	return preflight.target.path === check.target.value.path
		&& preflight.estimate.delayMs === check.delay.value
		&& preflight.errors.length === 0;
}
