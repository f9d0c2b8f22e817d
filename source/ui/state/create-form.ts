import {backupOptionRules, checkAfterBackup, checkBackupOptions, parseDelay as parseDelayOption, type CheckedBackupOptions, type RawBackupOptions} from '../../engine/index.js';
import type {AfterBackupPlan, BackupTarget, Preflight} from '../../engine/types.js';
import {backupOptionDescriptors, backupOptionGroups, listValues, prefillText, textOption, type BackupTextOption, type BackupToggleOption} from '../options/descriptors.js';
import {tuiWords} from '../options/tui-words.js';
import {defaultValue, editText, textValue, type TextAction, type TextValue} from './text-edit.js';

/** A focusable row: the target, an option's field, or the Options section's header (Space opens it). */
export type CreateField = 'target' | 'options' | BackupTextOption | BackupToggleOption;

/** What the command line (or the demo) gave: the form's starting values, as typed. */
export type CreatePrefill = Partial<Record<BackupTextOption, string | string[]>> & Partial<Record<BackupToggleOption, boolean>> & {target?: string; method?: string};

export type CreateFormState = {[Key in 'target' | BackupTextOption]: TextValue} & {[Key in BackupToggleOption]: boolean} & {
	focus: CreateField;
	/** The Options section is open (closed at start). */
	optionsOpen: boolean;
	/** Each text field's starting text: focus selects a field still holding it, so typing replaces it. */
	defaults: Partial<Record<'target' | BackupTextOption, string>>;
};

export type CreateFormAction =
	| {type: 'edit'; edit: TextAction}
	| {type: 'focus'; direction: 'next' | 'prev'}
	| {type: 'toggle'}
	/** Esc while the Options section is open: it closes, the focus on its header (the form is not left). */
	| {type: 'closeOptions'}
	/** PgDn/PgUp: the first option of the next (previous) group; the section opens. */
	| {type: 'group'; direction: 'next' | 'prev'}
	/** g/G (off a text field): the section's first or last option. */
	| {type: 'edge'; which: 'first' | 'last'}
	/** A letter typed off a text field: the next option whose label starts with it. */
	| {type: 'jump'; letter: string};

const textKeys = backupOptionDescriptors.filter(option => option.kind !== 'toggle').map(option => option.key as BackupTextOption);
const toggleKeys = backupOptionDescriptors.filter(option => option.kind === 'toggle').map(option => option.key as BackupToggleOption);

/** The rows Tab visits, in order: the target and the always-shown options, the header, then (open) the rest. */
export function createFields(state: Pick<CreateFormState, 'optionsOpen'>): CreateField[] {
	const always = backupOptionDescriptors.filter(option => 'always' in option && option.always).map(option => option.key);
	const inside = backupOptionGroups.flatMap(group => group.options.map(option => option.key));
	return ['target', ...always, 'options', ...(state.optionsOpen ? inside : [])];
}

export function initialCreateForm(target: string, prefill: CreatePrefill | string = {}): CreateFormState {
	// A string is the delay (the form's first shape, kept for its callers).
	const given: CreatePrefill = typeof prefill === 'string' ? {delay: prefill} : prefill;
	const texts = Object.fromEntries(textKeys.map(key => [key, key === 'delay' ? prefillText(given.delay ?? '0') : prefillText(given[key])])) as Record<BackupTextOption, string>;
	const defaults = {target: given.target ?? target, ...texts};
	return {
		target: defaultValue(defaults.target),
		...Object.fromEntries(textKeys.map(key => [key, textValue(texts[key])])) as Record<BackupTextOption, TextValue>,
		...Object.fromEntries(toggleKeys.map(key => [key, given[key] === true])) as Record<BackupToggleOption, boolean>,
		focus: 'target',
		// Closed even when the command line set some: its header sums them up ("freeze/thaw set · force").
		optionsOpen: false,
		defaults,
	};
}

export const isText = (field: CreateField): field is 'target' | BackupTextOption => field === 'target' || (textKeys as string[]).includes(field);

export function createFormReducer(state: CreateFormState, action: CreateFormAction): CreateFormState {
	switch (action.type) {
		case 'edit':
			return isText(state.focus) ? {...state, [state.focus]: editText(state[state.focus], action.edit)} : state;
		case 'focus': {
			const fields = createFields(state);
			const step = action.direction === 'next' ? 1 : -1;
			return focusOn(state, fields[(fields.indexOf(state.focus) + step + fields.length) % fields.length]!);
		}
		case 'group': {
			const at = sectionGroups.findIndex(group => group.includes(state.focus as never));
			const first = at >= 0 && sectionGroups[at]![0] === state.focus;
			const to = action.direction === 'next' ? at + 1 : first ? at - 1 : at;
			if (to < 0) return focusOn(state, 'options');
			return focusOn({...state, optionsOpen: true}, sectionGroups[Math.min(to, sectionGroups.length - 1)]![0]!);
		}
		case 'edge': {
			const all = sectionGroups.flat();
			return focusOn({...state, optionsOpen: true}, action.which === 'first' ? all[0]! : all.at(-1)!);
		}
		case 'jump': {
			const match = nextStartingWith(state.focus, action.letter);
			return match ? focusOn({...state, optionsOpen: true}, match) : state;
		}
		case 'closeOptions':
			return {...state, optionsOpen: false, focus: 'options'};
		case 'toggle':
			if (state.focus === 'options') return {...state, optionsOpen: !state.optionsOpen};
			return (toggleKeys as string[]).includes(state.focus) ? {...state, [state.focus]: !state[state.focus as BackupToggleOption]} : state;
	}
}

/** The Options section's fields, group by group (its headings are not fields: they are never focused). */
const sectionGroups = backupOptionGroups.map(group => group.options.map(option => option.key as CreateField)).filter(group => group.length > 0);

/** The next option after `from` (round the section) whose label starts with `letter`. */
export function nextStartingWith(from: CreateField, letter: string): CreateField | undefined {
	const all = backupOptionGroups.flatMap(group => group.options);
	const start = all.findIndex(option => option.key === from);
	const ordered = [...all.slice(start + 1), ...all.slice(0, start + 1)];
	return ordered.find(option => option.label.toLowerCase().startsWith(letter.toLowerCase()))?.key as CreateField | undefined;
}

/** The focus moved to `focus`: an untouched default is selected, so typing replaces it (else `0` + `5` is `05`). */
function focusOn(state: CreateFormState, focus: CreateField): CreateFormState {
	if (!isText(focus)) return {...state, focus};
	const value = state[focus];
	return {...state, focus, [focus]: value.text === state.defaults[focus] ? editText(value, {type: 'selectAll'}) : value};
}

export type Parsed<T> = {ok: true; value: T} | {ok: false; reason: string};

/** An engine rule's answer as a field shows it: the value, or the one sentence it threw. */
function parsed<T>(parse: () => T): Parsed<T> {
	try {
		return {ok: true, value: parse()};
	} catch (error) {
		return {ok: false, reason: tuiWords((error as Error).message)};
	}
}

/** The Delay field: the engine's --delay rule, so the form and the CLI refuse the same values with the same sentence. */
export const parseDelayField = (text: string): Parsed<number> => parsed(() => parseDelayOption(text));

/** The Target field through the engine's resolver, which throws a one-sentence usage error for a bad target. */
export const parseTarget = (text: string, resolve: (text: string) => BackupTarget): Parsed<BackupTarget> => parsed(() => resolve(text));

/** The form's options as the CLI's flags would give them (empty fields: not given): each text and list field by its descriptor. */
export function rawBackupOptions(state: CreateFormState): RawBackupOptions {
	const texts = Object.fromEntries(backupOptionDescriptors.filter(option => option.kind !== 'toggle').map(option => {
		const text = state[option.key].text;
		return [option.key, option.key === 'delay' ? text : option.kind === 'list' ? listValues(text) : textOption(text)];
	}));
	return {
		...texts,
		// The toggles as the CLI's flags say them: --no-external-datastore is externalDatastore: false (Force is the backup's, not an option rule's).
		...(state.noExternalDatastore ? {externalDatastore: false} : {}),
		...(state.filesOnly ? {filesOnly: true} : {}),
		...(state.incremental ? {incremental: true} : {}),
	};
}

export interface CreateFormCheck {
	target: Parsed<BackupTarget>;
	delay: Parsed<number>;
	/** Each option's refusal, from its one rule in engine/option-rules.ts, shown under its field. */
	reasons: Partial<Record<BackupTextOption, string>>;
	/** Every option checked (checkBackupOptions), when none is refused. */
	options?: CheckedBackupOptions;
	/** The nightly steps after the backup (prune, push, hooks), checked with the rest. */
	after?: AfterBackupPlan;
}

/** `choices`: what the form sets besides its fields (the Method, Ctrl+O), checked by the same rules. */
export function checkCreateForm(state: CreateFormState, resolve: (text: string) => BackupTarget, choices: Partial<RawBackupOptions> = {}): CreateFormCheck {
	const raw = {...rawBackupOptions(state), ...choices};
	const reasons: CreateFormCheck['reasons'] = {};
	for (const [key, rule] of Object.entries(backupOptionRules)) {
		const result = parsed(() => rule?.(raw));
		if (!result.ok) reasons[key as BackupTextOption] = result.reason;
	}
	const options = Object.keys(reasons).length === 0 ? checkBackupOptions(raw) : undefined;
	const after = options ? checkAfterBackup(raw) : undefined;
	return {target: parseTarget(state.target.text, resolve), delay: parseDelayField(state.delay.text), reasons, options, ...(after ? {after} : {})};
}

/**
 * Enter starts only when every field passes and the preflight on screen is for
 * exactly these inputs (not a stale one still being replaced) and has no errors,
 * but for those Force (--force) overrides: a short of space, an existing zip to replace.
 */
export function canStart(check: CreateFormCheck, preflight: Preflight | undefined, force = false): boolean {
	if (!check.target.ok || !check.delay.ok || !check.options || !preflight) return false;
	const blocking = preflight.errors.filter(error => !(force && overridable(preflight, error)));
	return preflight.target.path === check.target.value.path
		&& preflight.estimate.delayMs === check.delay.value
		&& blocking.length === 0;
}

/** What Force (--force) overrides among the checks: a short of space, and replacing an existing zip named on purpose. */
const overridable = (preflight: Preflight, error: string) => error === preflight.spaceShort || error === preflight.replaces;

/**
 * Why Enter does not start yet, in one sentence that points at the row to fix:
 * a field or option refused (named, so a closed Options section is no mystery),
 * the method refused here, or the checks below refusing this backup.
 */
export function notReadyReason(check: CreateFormCheck, preflight: Preflight | undefined, options: {force?: boolean; methodRefused?: string; method?: string; optionsOpen?: boolean}): string {
	if (!check.target.ok) return 'fix the Target above';
	if (!check.delay.ok) return 'fix the Delay above';
	const refused = Object.keys(check.reasons)[0];
	if (refused) {
		const label = backupOptionDescriptors.find(option => option.key === refused)?.label ?? refused;
		return options.optionsOpen ? `fix ${label} in Options above` : `fix ${label}: Space on Options opens it`;
	}
	if (options.methodRefused) return `the ${options.method ?? 'chosen'} method cannot run here (Method above): Ctrl+O picks another`;
	if (!preflight) return 'checking…';
	const blocking = preflight.errors.filter(error => !(options.force && overridable(preflight, error)));
	if (blocking.length === 1 && blocking[0] === preflight.spaceShort) return 'not enough free space at the target (below): free some, pick another target, or tick Force in Options';
	if (blocking.length === 1 && blocking[0] === preflight.replaces) return 'the target zip exists (below): pick another name, or tick Force in Options to replace it';
	if (blocking.length > 0) return `the check${blocking.length > 1 ? 's' : ''} below refuse${blocking.length > 1 ? '' : 's'} this backup`;
	return 'checking…';
}

/**
 * The form as it was left, opened again (the TUI keeps it while it runs): an untouched
 * default target is made afresh (its timestamp, or a name a started backup has taken).
 */
export function resumeCreateForm(saved: CreateFormState, target: string): CreateFormState {
	// It opens at the top, as it first did: a name typed after `c` goes into the Target.
	const top = {...saved, focus: 'target' as const};
	if (saved.target.text !== saved.defaults.target) return top;
	return {...top, target: defaultValue(target), defaults: {...saved.defaults, target}};
}
