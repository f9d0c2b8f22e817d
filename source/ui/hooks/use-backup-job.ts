import {backupThenNightly} from '../../engine/index.js';
import type {AfterBackupPlan, AfterBackupResult, BackupOptions, BackupSummary, Engine} from '../../engine/types.js';
import {useJob, type Job} from './use-job.js';

/** What a screen asks for; the job adds the AbortSignal and the event sink. `after`: the nightly steps (prune, push, hooks). */
export type BackupRequest = Omit<BackupOptions, 'signal' | 'onEvent'> & {after?: AfterBackupPlan};
/** The backup's summary, and what its nightly steps did (with their warnings among the summary's). */
export type BackupOutcome = BackupSummary & {after?: AfterBackupResult};
export type BackupJob = Job<BackupRequest, BackupOutcome>;

/**
 * The backup, then its nightly steps, through the engine's backupThenNightly as `crx-backup backup`
 * runs them: after a good backup prune, push and --on-success; after a failed or cancelled one only
 * --on-failure, and the backup's error stands. A failed prune or push shows beside a complete backup
 * (the CLI's exit 1).
 */
export const useBackupJob = (engine: Engine): BackupJob =>
	useJob<BackupRequest, BackupOutcome>(async ({after, ...options}, signal, onEvent) => {
		const warnings: string[] = [];
		const outcome = await backupThenNightly(engine, {backup: {...options, signal, onEvent}, after, onWarning: message => warnings.push(message)});
		if (!outcome.after) return outcome.summary;
		return {...outcome.summary, warnings: [...outcome.summary.warnings, ...warnings], after: outcome.after};
	});
