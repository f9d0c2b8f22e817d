import {describe, expect, it} from 'vitest';
import {initialRestoreWizard, restoreWizardReducer as reduce, type RestoreWizardAction, type RestoreWizardState} from '../../source/ui/state/restore-wizard.js';

const run = (state: RestoreWizardState, ...actions: RestoreWizardAction[]) => actions.reduce(reduce, state);

describe('restore wizard reducer', () => {
	it('walks choose → destination → options → confirm → progress → done', () => {
		let state = initialRestoreWizard();
		expect(state.step).toBe('choose');
		state = run(state, {type: 'move', delta: 1, count: 3}, {type: 'move', delta: 5, count: 3});
		expect(state.selected).toBe(2);
		state = run(state, {type: 'choose', backup: '/opt/b.zip', destination: '/opt/restored-b'});
		expect(state).toMatchObject({step: 'destination', backup: '/opt/b.zip', destination: {text: '/opt/restored-b'}});
		// Not checked yet: Enter stays put.
		expect(run(state, {type: 'next'}).step).toBe('destination');
		state = run(state, {type: 'checked', text: '/opt/restored-b', ok: true}, {type: 'next'});
		expect(state.step).toBe('options');
		state = run(state, {type: 'toggleDeleteIndex'}, {type: 'next'});
		expect(state).toMatchObject({step: 'confirm', deleteIndex: true});
		state = run(state, {type: 'next'});
		expect(state.step).toBe('progress');
		expect(run(state, {type: 'back'}).step).toBe('progress');
		state = run(state, {type: 'finished'});
		expect(state.step).toBe('done');
		expect(run(state, {type: 'next'}).exit).toBe(true);
	});

	it('a check for older text does not unlock the current text', () => {
		let state = initialRestoreWizard({path: '/opt/b.zip', destination: '/tmp/a'});
		state = run(state, {type: 'checked', text: '/tmp/a', ok: true}, {type: 'edit', edit: {type: 'insert', text: 'b'}});
		expect(run(state, {type: 'next'}).step).toBe('destination');
		state = run(state, {type: 'checked', text: '/tmp/ab', ok: false});
		expect(run(state, {type: 'next'}).step).toBe('destination');
	});

	it('goes back one step at a time and leaves from the first', () => {
		let state = initialRestoreWizard({path: '/opt/b.zip', destination: '/tmp/a'});
		state = run(state, {type: 'checked', text: '/tmp/a', ok: true}, {type: 'next'}, {type: 'back'});
		expect(state.step).toBe('destination');
		state = run(state, {type: 'back'});
		expect(state.step).toBe('choose');
		expect(state.exit).toBe(false);
		expect(run(state, {type: 'back'}).exit).toBe(true);
	});

	it('space toggles only on the options step', () => {
		const state = initialRestoreWizard();
		expect(run(state, {type: 'toggleDeleteIndex'}).deleteIndex).toBe(false);
	});
});
