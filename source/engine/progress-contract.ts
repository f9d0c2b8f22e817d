/**
 * The one progress contract. Every long operation (backup, restore, verify)
 * reports through the same event shapes: a step starts, progress samples
 * arrive, the step ends, the operation is done. The progress store and both
 * front ends read only these shapes.
 */
export interface Progress {
	bytesDone: number;
	filesDone: number;
	/** The file in hand, if any: relative to crx-quickstart (backup), or the backup's entry name (restore, verify). */
	file?: string;
}

/**
 * The engine's internal progress callback, in the same order as Progress. Positional,
 * not an object: the copy, extract and verify loops call it once per file (or per
 * chunk) and must not allocate for it.
 */
export type OnProgress = (bytesDone: number, filesDone: number, file?: string) => void;

export interface StepStartEvent<S> {
	type: 'step-start';
	step: S;
}

export interface ProgressEvent<S> extends Progress {
	type: 'progress';
	step: S;
	/** Overall percentage of the operation (in the seed's bands for a backup). */
	percent: number;
	/** Bytes and files of the current step's total (0 when not known). */
	bytesTotal: number;
	filesTotal: number;
	/**
	 * The totals are a count made before the step (a backup's stages count the repository first): the step
	 * may find more or fewer files than that, so the views show them as an estimate ("71/~78").
	 */
	estimated?: boolean;
}

export interface StepEndEvent<S> {
	type: 'step-end';
	step: S;
	durationMs: number;
	files?: number;
	bytes?: number;
	/** Files the step deleted from the target (backup only). */
	deleted?: number;
	/** Files the step found unchanged and kept without copying (backup stages only). */
	unchanged?: number;
}

/** The events every operation shares; each adds its own (a backup's freeze and thaw). */
export type OperationEvent<S, Summary> =
	| StepStartEvent<S>
	| ProgressEvent<S>
	| StepEndEvent<S>
	| {type: 'warning'; message: string}
	| {type: 'done'; summary: Summary};
