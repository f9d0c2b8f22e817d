import {clockNow} from '../platform/clock.js';
import {CrxError} from '../platform/errors.js';
import type {BackupOptions, BackupSummary, LastRun} from '../types.js';
import {writeLastRun} from './last-run.js';
import {recordMade} from '../catalog/provenance.js';

/**
 * Wraps the backup so that every run, from either front end, records its
 * outcome in the state folder (last-run.ts), a refusal (exit 2) included: a
 * nightly run that wrote no backup because its target's disk is gone is a
 * failed night for `status`, not an OK one until the newest backup goes stale.
 * The refusal still writes nothing where backups go. A record that cannot be
 * written never changes the backup's outcome: on success it becomes a warning.
 */
export function recordingRuns(run: (options: BackupOptions) => Promise<BackupSummary>): (options: BackupOptions) => Promise<BackupSummary> {
	return async options => {
		const base = {repository: options.repository.quickstart, target: options.target.path, startedAt: clockNow().toISOString()};
		let summary: BackupSummary;
		try {
			summary = await run(options);
		} catch (error) {
			recordFailure(base, error);
			throw error;
		}
		// What this run made is recorded as made by crx-backup, with its identity on disk: only that may prune or delete remove later.
		const unrecorded = recordMadeBackup(summary);
		if (unrecorded) summary.warnings.push(unrecorded);
		const problem = save({
			...base, startedAt: summary.startedAt, finishedAt: summary.finishedAt, exitCode: 0, outcome: 'success',
			sentence: `Backed up ${summary.files} files, ${summary.bytes} bytes to ${summary.target}.`, summary,
		});
		if (problem) summary.warnings.push(problem);
		return summary;
	};
}

function save(run: LastRun): string | undefined {
	try {
		writeLastRun(run);
		return undefined;
	} catch (error) {
		return `The outcome of this run could not be recorded for \`crx-backup status\`: ${(error as Error)?.message ?? String(error)}`;
	}
}

/**
 * Records a run that stopped before it wrote a backup, or failed while writing one: refused (exit 2, its
 * sentence), failed (1) or cancelled (130). The CLI calls it for a refusal that comes before the engine
 * runs (a target whose folder is gone). Never throws: the run's own error is what the operator needs.
 */
export function recordFailure(base: {repository: string; target: string; startedAt?: string}, error: unknown): void {
	const kind = error instanceof CrxError ? error.kind : 'failed';
	const sentence = (error as Error)?.message ?? String(error);
	save({
		...base, startedAt: base.startedAt ?? clockNow().toISOString(), finishedAt: clockNow().toISOString(),
		exitCode: error instanceof CrxError ? error.exitCode : 1, outcome: kind === 'cancelled' ? 'cancelled' : 'failure', sentence,
	});
}

function recordMadeBackup(summary: BackupSummary): string | undefined {
	try {
		recordMade({path: summary.target, kind: summary.kind, source: summary.source, startedAt: summary.startedAt});
		return undefined;
	} catch (error) {
		return `crx-backup could not record making ${summary.target}, so prune and delete will leave it alone until it is adopted (crx-backup adopt): ${(error as Error)?.message ?? String(error)}`;
	}
}
