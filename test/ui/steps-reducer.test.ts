import {describe, expect, it} from 'vitest';
import type {ProgressSnapshot} from '../../source/progress/progress-store.js';
import {backupStepRows, checklistRows} from '../../source/ui/state/steps.js';

const snapshot = (partial: Partial<ProgressSnapshot>): ProgressSnapshot => ({
	percent: 0, bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, estimated: false, rate: 0, elapsedMs: 0, completed: [], warnings: [], writesBlocked: false, done: false, ...partial,
});

describe('backup checklist rows', () => {
	it('has a zipping row only for zips and names blocked writes', () => {
		expect(backupStepRows('zip', true).map(row => row.key)).toEqual(['1A', '1B', '2', '3', '4', 'zip']);
		expect(backupStepRows('directory', false).map(row => row.key)).toEqual(['1A', '1B', '2', '3', '4']);
		expect(backupStepRows('zip', true)[4]!.label).toContain('writes blocked');
	});

	it('marks rows before the current step done, with their figures', () => {
		const rows = checklistRows(backupStepRows('zip', false), snapshot({
			step: {stage: 2, phase: 'B'},
			completed: [{step: {stage: 1, phase: 'A'}, files: 3, bytes: 1024, deleted: 0, unchanged: 0, durationMs: 10}, {step: {stage: 2, phase: 'A'}, files: 1, bytes: 1, deleted: 0, unchanged: 0, durationMs: 1}],
		}), 'running');
		expect(rows.map(row => row.state)).toEqual(['done', 'done', 'running', 'pending', 'pending', 'pending']);
		expect(rows[0]!.detail).toBe('3 files  1 KiB  10 ms');
	});

	it('marks the current row failed when the job stops, and all done when it finishes', () => {
		const template = backupStepRows('directory', false);
		expect(checklistRows(template, snapshot({step: {stage: 3, phase: 'A'}}), 'cancelled')[3]!.state).toBe('failed');
		expect(checklistRows(template, snapshot({step: {stage: 4, phase: 'B'}, done: true}), 'done').every(row => row.state === 'done')).toBe(true);
	});
});
