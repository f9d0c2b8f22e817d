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

/** The Delay field: the engine's --delay rule, so the form and the CLI refuse the same values with the same sentence. */
export function parseDelay(text: string): Parsed<number> {
	try {
		return {ok: true, value: parseDelayOption(text)};
	} catch (error) {
		return {ok: false, reason: (error as Error).message};
	}
}

/** The Target field through the engine's resolver, which throws a one-sentence usage error for a bad target. */
export function parseTarget(text: string, resolve: (text: string) => BackupTarget): Parsed<BackupTarget> {
	try {
		return {ok: true, value: resolve(text)};
	} catch (error) {
		return {ok: false, reason: (error as Error).message};
	}
}

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
