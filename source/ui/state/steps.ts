import type {CompletedStep, ProgressSnapshot} from '../../progress/progress-store.js';
import type {AnyStep, BackupKind, BackupMethod, DrillStep} from '../../engine/types.js';
import type {ChecklistRow} from '../components/checklist.js';
import {bytes, duration, stepLabel} from '../../words/format.js';
import type {JobStatus} from '../hooks/use-job.js';

/** A row of the checklist and the engine steps that belong to it (stages 2–4 run phases A and B in one row). */
export interface StepRow {
	key: string;
	label: string;
}

const rowKeyOf = (step: AnyStep): string => {
	if (typeof step === 'string') return step;
	if (step.stage === 'zip') return 'zip';
	return step.stage === 1 ? `1${step.phase}` : String(step.stage);
};

/** The backup's rows in order: the seed's four stages with stage 1 split by phase, then zipping for a zip. */
export function backupStepRows(kind: BackupKind, writesBlocked: boolean): StepRow[] {
	const rows: StepRow[] = [
		{key: '1A', label: stepLabel({stage: 1, phase: 'A'})},
		{key: '1B', label: stepLabel({stage: 1, phase: 'B'})},
		{key: '2', label: stepLabel({stage: 2, phase: 'A'})},
		{key: '3', label: stepLabel({stage: 3, phase: 'A'})},
		{key: '4', label: stepLabel({stage: 4, phase: 'A'}, writesBlocked)},
	];
	return kind === 'zip' ? [...rows, {key: 'zip', label: stepLabel({stage: 'zip'})}] : rows;
}

/** The rows a backup with this method goes through: a snapshot or offline backup is one pass (stage 1 only), no stages 2–4. */
export function backupRowsFor(kind: BackupKind, writesBlocked: boolean, method: BackupMethod | undefined): StepRow[] {
	const onePass = Boolean(method && method !== 'online');
	return backupStepRows(kind, writesBlocked).filter(row => !onePass || !['2', '3', '4'].includes(row.key));
}

/** A drill's rows, in the order the engine runs them (contract/drill.ts). */
export const drillStepRows = (): StepRow[] =>
	(['cleanup', 'verify', 'restore', 'start', 'ready', 'stop'] as const satisfies readonly DrillStep[]).map(step => ({key: step, label: stepLabel(step)}));

export const restoreStepRows = (): StepRow[] =>
	(['verify', 'extract', 'modes'] as const).map(step => ({key: step, label: stepLabel(step)}));

/**
 * A row's figures. A step that kept or deleted anything (a re-sync, stages 2–4)
 * says what it copied, deleted and kept (else a re-sync looks like a
 * full backup); one that only copied says files and bytes, as before.
 */
export function figures(completed: readonly CompletedStep[]): string | undefined {
	if (completed.length === 0) return undefined;
	const sum = (key: 'files' | 'bytes' | 'durationMs' | 'deleted' | 'unchanged') => completed.reduce((total, c) => total + (c[key] ?? 0), 0);
	const [files, size, time, deleted, unchanged] = [sum('files'), sum('bytes'), sum('durationMs'), sum('deleted'), sum('unchanged')];
	const count = (n: number) => n.toLocaleString('en-US');
	// Words before their numbers: after a label ending in one ("changes since stage 1") a count would read as part of it.
	if (deleted > 0 || unchanged > 0) return `copied ${count(files)} · deleted ${count(deleted)} · unchanged ${count(unchanged)}  ${duration(time)}`;
	return files || size ? `${count(files)} files  ${bytes(size)}  ${duration(time)}` : duration(time);
}

/**
 * Each row's state from one snapshot: rows before the current step are done, the
 * current one runs (or failed, once the job failed or was cancelled), the rest wait.
 * Rows only ever move forward, so the done ones can go into <Static>.
 */
export function checklistRows(rows: readonly StepRow[], snapshot: ProgressSnapshot | undefined, status: JobStatus): ChecklistRow[] {
	const current = snapshot?.step === undefined ? -1 : rows.findIndex(row => row.key === rowKeyOf(snapshot.step!));
	// Finished only once the snapshot has the last step-end (not merely when the promise settled), so
	// rows written to <Static> carry their figures.
	const finished = snapshot?.done === true;
	const stopped = status === 'failed' || status === 'cancelled';
	return rows.map((row, index) => {
		const completed = snapshot?.completed.filter(c => rowKeyOf(c.step) === row.key) ?? [];
		let state: ChecklistRow['state'] = 'pending';
		if (finished || index < current) state = 'done';
		else if (index === current) state = stopped ? 'failed' : 'running';
		else if (current === -1 && index === 0 && stopped) state = 'failed';
		return {key: row.key, label: row.label, state, detail: state === 'done' ? figures(completed) : undefined};
	});
}
