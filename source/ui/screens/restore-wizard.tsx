import path from 'node:path';
import {Box} from 'ink';
import {useEffect, useReducer} from 'react';
import {newestFirst} from '../components/backup-status.js';
import {JobProgress} from '../components/job-progress.js';
import {KeyBar} from '../components/key-bar.js';
import {Screen, Title} from '../components/screen.js';
import {checkDestination} from '../destination.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {useCancelConfirm} from '../hooks/use-cancel-confirm.js';
import {useKeymap, type KeyHandlers} from '../hooks/use-keymap.js';
import {tuiWords} from '../options/tui-words.js';
import {useSettledEnter} from '../hooks/use-settled-enter.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import type {RestoreJob} from '../hooks/use-restore-job.js';
import {keymaps, type Keymap} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import type {RestorePrefill} from '../options/prefill.js';
import {listValues} from '../options/descriptors.js';
import {backupRefusal, optionsRefusal} from '../state/restore-gates.js';
import {initialRestoreWizard, restoreWizardReducer, type WizardStep} from '../state/restore-wizard.js';
import {textKeyHandlers} from '../state/text-keys.js';
import {checklistRows, restoreStepRows} from '../state/steps.js';
import {ChooseStep, ConfirmStep, DestinationStep, DoneStep, OptionsStep} from './restore-steps.js';
import {DatastoreStep} from './datastore-step.js';
import type {RestorePlan} from '../../engine/types.js';

const tuiText = (text: string | undefined) => (text === undefined ? undefined : tuiWords(text));

/** The external datastore's path as the backup's manifest records it: only an absolute one is offered. */
const recordedDatastore = (plan?: RestorePlan): string | undefined => {
	const recorded = plan?.manifest?.storage?.datastorePath;
	return typeof recorded === 'string' && path.isAbsolute(recorded) ? recorded : undefined;
};

interface Props extends ScreenProps {
	restoreJob: RestoreJob;
	/** Opened from the Backups screen on this backup: the wizard starts at the destination. */
	backup?: string;
	/** --to, --delete-index, --only, --force given with the TUI. */
	prefill?: RestorePrefill;
}

/** A new folder next to the backups, named after the backup: the seed restores "in a new folder". */
const suggestedDestination = (backupDir: string, backup: string) =>
	path.join(backupDir, `restored-${path.basename(backup).replace(/\.zip$/i, '')}`);

const titles: Record<WizardStep, string> = {
	choose: 'Restore 1/5: choose a backup',
	destination: 'Restore 2/5: destination folder',
	datastore: 'Restore 2/5: external datastore',
	options: 'Restore 3/5: options',
	confirm: 'Restore 4/5: confirm',
	progress: 'Restore Progress',
	done: 'Restore',
};

export function RestoreWizard({engine, repository, isActive, go, restoreJob, backup, prefill}: Props) {
	const [state, dispatch] = useReducer(restoreWizardReducer, backup, initial =>
		initialRestoreWizard(initial ? {path: initial, destination: suggestedDestination(repository.backupDir, initial)} : undefined, prefill));
	const list = useAsyncValue(state.step === 'choose' ? 'list' : undefined, () => engine.list({repository}));
	const records = list.value ? newestFirst(list.value).filter(record => record.status === 'complete') : [];
	const plan = useAsyncValue(state.backup, () => engine.planRestore(state.backup!));
	const record = useAsyncValue(state.backup, () => engine.find(state.backup!, {repository}));
	// Each step refuses Enter while its check fails, and says why.
	const refusal = tuiText(backupRefusal(record.value, plan.error));
	const optionsBlocked = optionsRefusal(refusal, plan, state.force);
	const destinationText = state.step === 'destination' ? state.destination.text : state.step === 'datastore' ? state.datastore?.text : undefined;
	const check = useAsyncValue(destinationText?.trim() ? destinationText : undefined, () => checkDestination(engine, destinationText!, state.backup), 150);
	const recorded = recordedDatastore(plan.value);
	useEffect(() => {
		if ((plan.value || plan.error) && state.backup) dispatch({type: 'planned', backup: state.backup, datastore: plan.value?.manifest?.storage?.externalDatastoreIncluded ? recorded ?? '' : undefined});
	}, [plan.value, plan.error, state.backup]); // eslint-disable-line react-hooks/exhaustive-deps
	const snapshot = useProgressStore(restoreJob.store, restoreJob.status === 'running');
	const cancel = useCancelConfirm(restoreJob.status === 'running', () => restoreJob.cancel(), 'Cancel the restore? Nothing is left behind: the destination stays as it was.');

	useEffect(() => {
		// On success, wait for the snapshot that holds the last step-end so the checklist is logged whole.
		const settled = restoreJob.status === 'done' ? snapshot?.done === true : restoreJob.status === 'failed' || restoreJob.status === 'cancelled';
		if (state.step === 'progress' && settled) dispatch({type: 'finished'});
	}, [state.step, restoreJob.status, snapshot?.done]);
	useEffect(() => {
		if (state.exit) go(backup ? {screen: 'backups'} : {screen: 'home'});
	}, [state.exit]); // eslint-disable-line react-hooks/exhaustive-deps

	const start = () => {
		if (optionsBlocked) return dispatch({type: 'next', blocked: optionsBlocked});
		const only = listValues(state.only.text);
		const datastoreTo = state.datastore ? path.resolve(state.datastore.text.trim()) : undefined;
		restoreJob.start({
			backup: state.backup!, to: path.resolve(state.destination.text.trim()), deleteIndex: state.deleteIndex,
			...(only.length > 0 ? {only} : {}), ...(state.force ? {force: true} : {}), ...(datastoreTo ? {datastoreTo} : {}), ...(state.pointConfig ? {pointConfig: true} : {}),
		});
		dispatch({type: 'next'});
	};
	// The check's verdict goes in with the keypress, so Enter right after "✔" is never lost; typed ahead
	// (`Enter Enter` in one write), Enter waits for the folder's check, then acts on its verdict.
	const checkedNext = () => {
		const field = state.step === 'datastore' ? {field: 'datastore' as const} : {};
		if (check.value && check.key !== undefined) dispatch({type: 'checked', text: check.key, ok: check.value.ok, ...field});
		dispatch({type: 'next', ...(state.step === 'destination' ? {blocked: refusal} : {})});
	};
	const enter = useSettledEnter(check.settling || (state.step === 'destination' && record.settling), checkedNext);
	const editKeys = textKeyHandlers(edit => dispatch({type: 'edit', edit}));
	const onOnly = state.step === 'options' && state.optionFocus === 'only';
	const back = () => dispatch({type: 'back'});
	const next = () => dispatch({type: 'next'});
	const steps: Record<WizardStep, {keymap: Keymap; handlers: KeyHandlers}> = {
		choose: {
			keymap: keymaps.restoreChoose,
			handlers: {
				up: () => dispatch({type: 'move', delta: -1, count: records.length}),
				down: () => dispatch({type: 'move', delta: 1, count: records.length}),
				confirm: () => records[state.selected] && dispatch({type: 'choose', backup: records[state.selected]!.path, destination: suggestedDestination(repository.backupDir, records[state.selected]!.path)}),
				back,
			},
		},
		destination: {keymap: keymaps.restoreDestination, handlers: {confirm: enter.press, back, ...editKeys}},
		datastore: {keymap: keymaps.restoreDestination, handlers: {confirm: enter.press, back, ...editKeys}},
		options: {keymap: keymaps.restoreOptions, handlers: {
			...(onOnly ? editKeys : {toggle: () => dispatch({type: 'toggle'})}),
			up: () => dispatch({type: 'focusOption', delta: -1}),
			down: () => dispatch({type: 'focusOption', delta: 1}),
			prevField: () => dispatch({type: 'focusOption', delta: -1}),
			nextField: () => dispatch({type: 'focusOption', delta: 1}),
			confirm: () => dispatch({type: 'next', blocked: optionsBlocked}),
			back,
		}},
		confirm: {keymap: keymaps.restoreConfirm, handlers: {confirm: start, back}},
		progress: cancel.bind(keymaps.restoreProgress, {}),
		done: {keymap: keymaps.restoreDone, handlers: {confirm: next, back}},
	};
	const {keymap, handlers} = steps[state.step];
	const typing = state.step === 'destination' || state.step === 'datastore' || onOnly;
	// While the list loads, keys wait for it (Enter chooses the first backup once it is there).
	const busy = enter.waiting || (state.step === 'choose' && list.settling);
	const bar = useKeymap(keymap, handlers, {isActive, busy, onText: typing ? text => dispatch({type: 'edit', edit: {type: 'insert', text}}) : undefined});

	if (state.step === 'progress') {
		return (
			<Box flexDirection="column">
				<JobProgress runId={`restore-${restoreJob.run}`} header={<Title text={titles.progress} />} rows={checklistRows(restoreStepRows(), snapshot, restoreJob.status)} snapshot={snapshot} running={restoreJob.status === 'running'} />
				{cancel.prompt}
				<KeyBar keys={bar} />
			</Box>
		);
	}
	return (
		<Screen title={titles[state.step]} keys={bar}>
			{state.step === 'choose' ? <ChooseStep list={list} records={records} selected={state.selected} backupDir={repository.backupDir} /> : null}
			{state.step === 'destination' ? <DestinationStep state={state} check={check} refusal={refusal} /> : null}
			{state.step === 'datastore' ? <DatastoreStep state={state} check={check} recorded={recorded} /> : null}
			{state.step === 'options' ? <OptionsStep state={state} plan={plan} refusal={plan.loading ? undefined : optionsBlocked} /> : null}
			{state.step === 'confirm' ? <ConfirmStep state={state} plan={plan} /> : null}
			{state.step === 'done' ? <DoneStep job={restoreJob} /> : null}
		</Screen>
	);
}
