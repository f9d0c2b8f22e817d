import {clockNow} from '../clock.js';
import {CrxError} from '../errors.js';
import type {BackupOptions, BackupSummary, LastRun} from '../types.js';
import {writeLastRun} from './last-run.js';

/**
 * Wraps the backup so that every run, from either front end, records its
 * outcome in the state folder (last-run.ts), except a refusal (bad input, exit
 * 2), which writes nothing anywhere. A record that cannot be written
 * never changes the backup's outcome: on success it becomes a warning.
 */
export function recordingRuns(run: (options: BackupOptions) => Promise<BackupSummary>): (options: BackupOptions) => Promise<BackupSummary> {
	return async options => {
		const base = {repository: options.repository.quickstart, target: options.target.path, startedAt: clockNow().toISOString()};
		let summary: BackupSummary;
		try {
			summary = await run(options);
		} catch (error) {
			const kind = error instanceof CrxError ? error.kind : 'failed';
			// Bad input writes nothing, not even here (the guarantee for exit 2): the next run, or staleness, tells.
			if (kind === 'usage') throw error;
			const sentence = (error as Error)?.message ?? String(error);
			save({...base, finishedAt: clockNow().toISOString(), exitCode: error instanceof CrxError ? error.exitCode : 1, outcome: kind === 'cancelled' ? 'cancelled' : 'failure', sentence});
			throw error;
		}
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
