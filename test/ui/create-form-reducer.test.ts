import {describe, expect, it} from 'vitest';
import {usageError} from '../../source/engine/platform/errors.js';
import type {BackupTarget, Preflight} from '../../source/engine/types.js';
import {parseDelay as parseDelayOption} from '../../source/engine/option-rules.js';
import {canStart, checkCreateForm, createFormReducer, initialCreateForm, parseDelayField, resumeCreateForm} from '../../source/ui/state/create-form.js';
import {editText, textValue} from '../../source/ui/state/text-edit.js';

const resolve = (text: string): BackupTarget => {
	if (text.trim() === '') throw usageError('The target is empty: give a folder or a file name ending in .zip.');
	return {path: `/opt/${text}`, kind: text.endsWith('.zip') ? 'zip' : 'directory'};
};

const preflightFor = (target: BackupTarget, delayMs: number, errors: string[] = []): Preflight => ({
	target, bytesNeeded: 1, bytesFree: 2, warnings: [], errors,
	estimate: {repository: '/r', repositoryBytes: 1, repositoryFiles: 1, kind: target.kind, target: target.path, divisor: 2, delayMs, delaySeconds: 0, over24h: false},
});

describe('text edits', () => {
	it('inserts and erases at the cursor', () => {
		let value = textValue('ac');
		value = editText(value, {type: 'left'});
		value = editText(value, {type: 'insert', text: 'b'});
		expect(value).toEqual({text: 'abc', cursor: 2});
		value = editText(value, {type: 'erase'});
		expect(value).toEqual({text: 'ac', cursor: 1});
		expect(editText(textValue(''), {type: 'erase'})).toEqual({text: '', cursor: 0});
		expect(editText(textValue('x'), {type: 'right'})).toEqual({text: 'x', cursor: 1});
	});
});

describe('create form reducer', () => {
	it('edits the focused field and cycles focus both ways', () => {
		let state = initialCreateForm('backup.zip');
		state = createFormReducer(state, {type: 'focus', direction: 'next'});
		expect(state.focus).toBe('delay');
		// The untouched default is selected on focus, so typing replaces it (this was `05`).
		state = createFormReducer(state, {type: 'edit', edit: {type: 'insert', text: '5'}});
		expect(state.delay.text).toBe('5');
		expect(state.target.text).toBe('backup.zip');
		// Then the Options section's header (closed, so the cycle goes back to the target).
		state = createFormReducer(state, {type: 'focus', direction: 'next'});
		expect(state.focus).toBe('options');
		state = createFormReducer(state, {type: 'focus', direction: 'next'});
		expect(state.focus).toBe('target');
		expect(createFormReducer(state, {type: 'focus', direction: 'prev'}).focus).toBe('options');
	});

	it('accepts whole non-negative delays only, with a reason otherwise', () => {
		expect(parseDelayField('0')).toEqual({ok: true, value: 0});
		expect(parseDelayField(' 12 ')).toEqual({ok: true, value: 12});
		for (const bad of ['', '-1', '1.5', 'abc']) expect(parseDelayField(bad).ok).toBe(false);
		expect(parseDelayField('-1')).toMatchObject({reason: expect.stringContaining('0 or more')});
	});

	it('refuses what the CLI refuses, with the engine\'s sentence (one rule: option-rules.ts)', () => {
		for (const bad of ['', '60001', '1000000000000', '1.5']) {
			let sentence = '';
			try {
				parseDelayOption(bad);
			} catch (error) {
				sentence = (error as Error).message;
			}
			expect(sentence).not.toBe('');
			expect(parseDelayField(bad)).toEqual({ok: false, reason: sentence});
		}
		expect(parseDelayField('60000')).toEqual({ok: true, value: 60_000});
	});

	it('turns a throwing resolver into an inline reason', () => {
		const check = checkCreateForm({...initialCreateForm(''), focus: 'target'}, resolve);
		expect(check.target).toEqual({ok: false, reason: 'The target is empty: give a folder or a file name ending in .zip.'});
	});

	it('starts only with a current preflight for these inputs and no errors', () => {
		const check = checkCreateForm(initialCreateForm('b.zip', '1'), resolve);
		const target = {path: '/opt/b.zip', kind: 'zip' as const};
		expect(canStart(check, undefined)).toBe(false);
		expect(canStart(check, preflightFor(target, 1))).toBe(true);
		expect(canStart(check, preflightFor(target, 2))).toBe(false);
		expect(canStart(check, preflightFor({path: '/opt/a.zip', kind: 'zip'}, 1))).toBe(false);
		expect(canStart(check, preflightFor(target, 1, ['Not enough space.']))).toBe(false);
		expect(canStart(checkCreateForm(initialCreateForm('b.zip', 'x'), resolve), preflightFor(target, 1))).toBe(false);
	});
});

describe('the Options section: Esc, groups and jumps', () => {
	const open = {...initialCreateForm('a.zip'), focus: 'options' as const};

	it('Esc closes an open section onto its header', () => {
		const inside = createFormReducer(createFormReducer(open, {type: 'toggle'}), {type: 'focus', direction: 'next'});
		expect(inside).toMatchObject({optionsOpen: true, focus: 'freezeCmd'});
		expect(createFormReducer(inside, {type: 'closeOptions'})).toMatchObject({optionsOpen: false, focus: 'options'});
	});

	it('PgDn goes to the next group\'s first option and opens the section; PgUp to the group\'s start, then the one before', () => {
		let state = createFormReducer(open, {type: 'group', direction: 'next'});
		expect(state).toMatchObject({optionsOpen: true, focus: 'freezeCmd'});
		for (const expected of ['aem', 'snapshotCmd', 'keepLast', 'datastore', 'exclude', 'exclude']) {
			state = createFormReducer(state, {type: 'group', direction: 'next'});
			expect(state.focus).toBe(expected);
		}
		state = createFormReducer({...state, focus: 'keepDaily'}, {type: 'group', direction: 'prev'});
		expect(state.focus).toBe('keepLast');
		expect(createFormReducer(state, {type: 'group', direction: 'prev'}).focus).toBe('snapshotCmd');
		expect(createFormReducer({...state, focus: 'freezeCmd'}, {type: 'group', direction: 'prev'}).focus).toBe('options');
	});

	it('g/G go to the first/last option; a letter to the next option it starts, round the section', () => {
		expect(createFormReducer(open, {type: 'edge', which: 'first'}).focus).toBe('freezeCmd');
		expect(createFormReducer(open, {type: 'edge', which: 'last'}).focus).toBe('exclude');
		expect(createFormReducer(open, {type: 'jump', letter: 'k'}).focus).toBe('keepLast');
		expect(createFormReducer({...open, focus: 'keepLast'}, {type: 'jump', letter: 'K'}).focus).toBe('keepHourly');
		expect(createFormReducer({...open, focus: 'force'}, {type: 'jump', letter: 'f'}).focus).toBe('filesOnly');
		expect(createFormReducer(open, {type: 'jump', letter: 'z'})).toBe(open);
	});

	it('a form opened again keeps its values, at the top, with a fresh default target', () => {
		const typed = {...open, delay: textValue('7'), exclude: textValue('logs')};
		expect(resumeCreateForm(typed, 'b.zip')).toMatchObject({focus: 'target', delay: {text: '7'}, exclude: {text: 'logs'}, target: {text: 'b.zip', selected: true}});
		const named = {...typed, target: textValue('mine.zip')};
		expect(resumeCreateForm(named, 'b.zip').target.text).toBe('mine.zip');
	});
});
