import {restoreOptionDescriptors, type RestoreTextOption, type RestoreToggleOption} from '../options/descriptors.js';
import type {RestorePrefill} from '../options/prefill.js';
import {defaultValue, editText, textValue, type TextAction, type TextValue} from './text-edit.js';

export type RestoreOption = RestoreTextOption | RestoreToggleOption;
const optionOrder = restoreOptionDescriptors.map(option => option.key as RestoreOption);

export type WizardStep = 'choose' | 'destination' | 'datastore' | 'options' | 'confirm' | 'progress' | 'done';

export interface RestoreWizardState {
	step: WizardStep;
	/** Highlighted row on the choose step. */
	selected: number;
	/** Path of the chosen backup. */
	backup?: string;
	destination: TextValue;
	/** The destination text the last check found usable, if it is the current text. */
	checkedOk?: string;
	deleteIndex: boolean;
	/** --only, comma-separated. */
	only: TextValue;
	/** --force: restore a directory backup still marked in progress. */
	force: boolean;
	/** --point-config: rewrite the restored FileDataStore configuration's path. */
	pointConfig: boolean;
	/** The focused row on the options step. */
	optionFocus: RestoreOption;
	/** Why the last Enter did not advance: the step's check failed (a damaged zip, a running backup…). */
	refusal?: string;
	/**
	 * Where the backup's external datastore goes: set, to the path its
	 * manifest records, once the plan says it holds one; the datastore step is
	 * skipped without it.
	 */
	datastore?: TextValue;
	/** The datastore text the last check found usable. */
	datastoreCheckedOk?: string;
	/** The backup the datastore field was set for (its plan arrives after it is chosen). */
	datastoreOf?: string;
	/** Set when Esc leaves the wizard from its first step, or Enter leaves it when done. */
	exit: boolean;
}

export type RestoreWizardAction =
	| {type: 'move'; delta: number; count: number}
	| {type: 'choose'; backup: string; destination: string}
	| {type: 'edit'; edit: TextAction}
	| {type: 'checked'; text: string; ok: boolean; field?: 'datastore'}
	| {type: 'planned'; backup: string; datastore?: string}
	| {type: 'toggleDeleteIndex'}
	/** Space on the options step: ticks the focused toggle. */
	| {type: 'toggle'}
	| {type: 'focusOption'; delta: number}
	/** Enter. `blocked`: the step's check fails, with this reason: the wizard stays and says it. */
	| {type: 'next'; blocked?: string}
	| {type: 'back'}
	| {type: 'finished'};

const order: WizardStep[] = ['choose', 'destination', 'datastore', 'options', 'confirm', 'progress', 'done'];

/** The step `delta` away, past the datastore step when the backup holds no external datastore. */
function stepFrom(state: RestoreWizardState, delta: 1 | -1): WizardStep {
	const next = order[order.indexOf(state.step) + delta]!;
	return next === 'datastore' && !state.datastore ? order[order.indexOf(next) + delta]! : next;
}

export const datastoreReady = (state: RestoreWizardState): boolean =>
	state.datastore !== undefined && state.datastore.text.trim() !== '' && state.datastoreCheckedOk === state.datastore.text;

/** Opens on the list, or (from the Backups screen) straight on the destination of a chosen backup. */
export function initialRestoreWizard(backup?: {path: string; destination: string}, prefill: RestorePrefill = {}): RestoreWizardState {
	return {
		step: backup ? 'destination' : 'choose',
		selected: 0,
		backup: backup?.path,
		// A suggested folder is selected (typing replaces it); one given with --to is the operator's own.
		destination: prefill.to ? textValue(prefill.to) : backup ? defaultValue(backup.destination) : textValue(''),
		deleteIndex: prefill.deleteIndex ?? false,
		only: textValue((prefill.only ?? []).join(', ')),
		force: prefill.force ?? false,
		pointConfig: prefill.pointConfig ?? false,
		optionFocus: optionOrder[0]!,
		exit: false,
	};
}

export const destinationReady = (state: RestoreWizardState): boolean =>
	state.destination.text.trim() !== '' && state.checkedOk === state.destination.text;

export function restoreWizardReducer(state: RestoreWizardState, action: RestoreWizardAction): RestoreWizardState {
	switch (action.type) {
		case 'move':
			if (state.step !== 'choose' || action.count === 0) return state;
			return {...state, selected: Math.min(action.count - 1, Math.max(0, state.selected + action.delta))};
		case 'choose':
			if (state.step !== 'choose') return state;
			// Keep what the operator typed when they come back to pick another backup.
			return {...state, backup: action.backup, step: 'destination', refusal: undefined, destination: state.destination.text ? state.destination : defaultValue(action.destination)};
		case 'edit':
			if (state.step === 'datastore' && state.datastore) return {...state, refusal: undefined, datastore: editText(state.datastore, action.edit)};
			if (state.step === 'destination') return {...state, refusal: undefined, destination: editText(state.destination, action.edit)};
			return state.step === 'options' && state.optionFocus === 'only' ? {...state, refusal: undefined, only: editText(state.only, action.edit)} : state;
		case 'toggle':
			if (state.step !== 'options' || state.optionFocus === 'only') return state;
			return {...state, refusal: undefined, [state.optionFocus]: !state[state.optionFocus]};
		case 'focusOption': {
			if (state.step !== 'options') return state;
			const index = (optionOrder.indexOf(state.optionFocus) + action.delta + optionOrder.length) % optionOrder.length;
			return {...state, optionFocus: optionOrder[index]!};
		}
		case 'planned':
			// Once per backup: what the operator typed is kept; another backup starts from its own record.
			if (action.backup !== state.backup || state.datastoreOf === action.backup) return state;
			if (action.datastore === undefined) return {...state, datastore: undefined, datastoreCheckedOk: undefined, datastoreOf: action.backup};
			// A plan that arrives after the destination step was passed still gets its question asked, before confirm.
			return {
				...state, datastore: textValue(action.datastore), datastoreCheckedOk: undefined, datastoreOf: action.backup,
				step: state.step === 'options' || state.step === 'confirm' ? 'datastore' : state.step,
			};
		case 'checked':
			if (action.field === 'datastore') {
				return action.ok ? {...state, datastoreCheckedOk: action.text} : (state.datastoreCheckedOk === action.text ? {...state, datastoreCheckedOk: undefined} : state);
			}
			return action.ok ? {...state, checkedOk: action.text} : (state.checkedOk === action.text ? {...state, checkedOk: undefined} : state);
		case 'toggleDeleteIndex':
			return state.step === 'options' ? {...state, deleteIndex: !state.deleteIndex} : state;
		case 'next':
			if (action.blocked && (state.step === 'destination' || state.step === 'options' || state.step === 'confirm')) return {...state, refusal: action.blocked};
			if (state.step === 'destination' && !destinationReady(state)) return state;
			if (state.step === 'datastore' && !datastoreReady(state)) return state;
			if (state.step === 'choose' || state.step === 'progress') return state;
			if (state.step === 'done') return {...state, exit: true};
			return {...state, refusal: undefined, step: stepFrom(state, 1)};
		case 'back':
			// Once the restore has started there is no going back: Ctrl+C cancels it instead.
			if (state.step === 'progress') return state;
			if (state.step === 'choose' || state.step === 'done') return {...state, exit: true};
			return {...state, refusal: undefined, step: stepFrom(state, -1)};
		case 'finished':
			return state.step === 'progress' ? {...state, step: 'done'} : state;
	}
}
