import {CrxError, plansAnything} from '../../engine/index.js';
import type {AfterBackupPlan, AfterBackupResult, BackupOptions, BackupSummary, Engine} from '../../engine/types.js';
import {useJob, type Job} from './use-job.js';

/** What a screen asks for; the job adds the AbortSignal and the event sink. `after`: the nightly steps (prune, push, hooks). */
export type BackupRequest = Omit<BackupOptions, 'signal' | 'onEvent'> & {after?: AfterBackupPlan};
/** The backup's summary, and what its nightly steps did (with their warnings among the summary's). */
export type BackupOutcome = BackupSummary & {after?: AfterBackupResult};
export type BackupJob = Job<BackupRequest, BackupOutcome>;

/**
 * The backup, then its nightly steps through the engine's afterBackup, as `crx-backup backup` runs them:
 * after a good backup prune, push and --on-success; after a failed or cancelled one only --on-failure,
 * and the backup's error stands. A failed prune or push shows beside a complete backup (the CLI's exit 1).
 */
export const useBackupJob = (engine: Engine): BackupJob =>
	useJob<BackupRequest, BackupOutcome>(async ({after, ...options}, signal, onEvent) => {
		const plan = plansAnything(after) ? after : undefined;
		const request = {plan: plan!, repository: options.repository, target: options.target.path};
		let summary: BackupSummary;
		try {
			summary = await engine.backup({...options, signal, onEvent});
		} catch (error) {
			const exitCode = signal.aborted ? 130 : error instanceof CrxError ? error.exitCode : 1;
			if (plan) await engine.afterBackup({...request, exitCode}).catch(() => undefined);
			throw error;
		}
		if (!plan) return summary;
		const warnings: string[] = [];
		const result = await engine.afterBackup({...request, target: summary.target, exitCode: 0, signal, onWarning: message => warnings.push(message)});
		return {...summary, warnings: [...summary.warnings, ...warnings, ...(result.hookWarning ? [result.hookWarning] : [])], after: result};
	});
