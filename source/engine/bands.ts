import type {BackupKind, RestoreStep, Step} from './types.js';

/** A step's share of the overall percentage: [start, end]. */
export type Band = readonly [number, number];

/**
 * Where each step sits in the overall percentage, for every operation, so the
 * printer and the TUI's bar read one number. A backup's bands are the seed's
 * ("How AEM Online Backup Works"): a zip spends 70–100 % zipping. A restore's
 * check pass is quick; the extract is the work. Verify is one step.
 */
const backupBands: Record<BackupKind, Record<string, Band>> = {
	zip: {1: [0, 63], 2: [63, 65.8], 3: [65.8, 68.6], 4: [68.6, 70], zip: [70, 100]},
	directory: {1: [0, 90], 2: [90, 94], 3: [94, 98], 4: [98, 100]},
};
const restoreBands: Record<RestoreStep, Band> = {verify: [0, 5], extract: [5, 97], modes: [97, 100]};

export function band(kind: BackupKind, step: Step): Band {
	return backupBands[kind][String(step.stage)] ?? [0, 100];
}

/** The overall percentage for `fraction` (0..1, clamped; not a number counts as 0) of a band. */
export function percentIn([start, end]: Band, fraction: number): number {
	const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
	return start + (end - start) * clamped;
}

/** A backup's overall percentage for `fraction` of the given step. */
export const overallPercent = (kind: BackupKind, step: Step, fraction: number): number => percentIn(band(kind, step), fraction);

/** Verify is one step: the whole bar. */
const verifyBand: Band = [0, 100];

/** A restore's overall percentage for `fraction` of the given step. */
export const restorePercent = (step: RestoreStep, fraction: number): number => percentIn(restoreBands[step], fraction);

/** Verify's overall percentage for `fraction` of its one step. */
export const verifyPercent = (fraction: number): number => percentIn(verifyBand, fraction);
