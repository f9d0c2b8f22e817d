import {defaultDrillStartTimeoutMs} from '../../engine/index.js';
import type {DrillOptions, DrillSummary, Engine, Repository} from '../../engine/types.js';
import {useJob, type Job} from './use-job.js';

/** What the Backups list asks for: the backup to drill; the rest is the engine's defaults (a free port, isolated). */
export interface DrillRequest {
	/** The backup's path, as `list` gives it. */
	backup: string;
}
export type DrillJob = Job<DrillRequest, DrillSummary>;

/** Built from the TUI's repository: a drill of another install's backup is never asked for here. */
export const useDrillJob = (engine: Engine, repository: Repository, settings: Pick<DrillOptions, 'allowNetwork'> = {}): DrillJob =>
	useJob<DrillRequest, DrillSummary>((request, signal, onEvent) => engine.drill({
		repository, backup: request.backup, startTimeoutMs: defaultDrillStartTimeoutMs, ...settings, signal, onEvent,
	}));
