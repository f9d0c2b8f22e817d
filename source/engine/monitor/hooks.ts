import {runHook} from '../backup/run-hook.js';
import {lastRunPath} from './last-run.js';

export interface RunHooksOptions {
	onSuccess?: string;
	onFailure?: string;
	timeoutMs: number;
	/** The crx-quickstart folder: names the last-run record the hook gets as CRX_BACKUP_SUMMARY. */
	repository: string;
	target: string;
	/** The run's exit code: 0 runs --on-success, anything else --on-failure. */
	exitCode: number;
	/** CRX_BACKUP_STATUS when the exit code alone does not say it: drill-failed (a good backup whose drill failed). */
	status?: 'drill-failed';
}

/**
 * Runs --on-success or --on-failure through `sh -c` once the run's outcome is
 * known, with CRX_BACKUP_STATUS (success, failure or cancelled),
 * CRX_BACKUP_TARGET and CRX_BACKUP_SUMMARY (the last-run record's path) in its
 * environment. A hook that fails or outlives its timeout is a warning: it never
 * changes the run's outcome. Returns that warning, or undefined.
 */
export async function runOutcomeHook(options: RunHooksOptions): Promise<string | undefined> {
	const success = options.exitCode === 0;
	const command = success ? options.onSuccess : options.onFailure;
	if (!command) return undefined;
	const status = options.status ?? (success ? 'success' : options.exitCode === 130 ? 'cancelled' : 'failure');
	const result = await runHook(command, {
		repo: options.repository, target: options.target,
		// Every run is recorded, a refusal (exit 2) too: the record says why.
		extra: {CRX_BACKUP_STATUS: status, CRX_BACKUP_SUMMARY: lastRunPath(options.repository)},
	}, options.timeoutMs, success ? '--on-success' : '--on-failure');
	return result.ok ? undefined : `${result.reason!.replace(/\.$/, '')}; the backup's outcome stands.`;
}
