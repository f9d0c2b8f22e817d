import {CrxError} from '../platform/errors.js';
import type {AfterBackupPlan, AfterBackupRequest, AfterBackupResult, BackupOptions, BackupSummary, Engine} from '../types.js';
import {plansAnything} from './after-backup.js';

/** A backup and its nightly steps, as both front ends ask for them. */
export interface NightlyBackupRequest {
	backup: BackupOptions;
	/** --keep-*, --push, --on-success/--on-failure, checked; absent or empty: the backup alone. */
	after?: AfterBackupPlan;
	/** Folders to prune besides the backup's own (`--dir`). */
	dirs?: string[];
	onWarning?: (message: string) => void;
	/** How to push (the CLI shows restic's progress); default: the engine's push without progress. */
	push?: AfterBackupRequest['push'];
	/** The drill's progress (--drill). */
	onDrillEvent?: AfterBackupRequest['onDrillEvent'];
}

export interface NightlyBackupOutcome {
	summary: BackupSummary;
	/** What the nightly steps did; a failed prune or push is `after.failure` (the backup itself is good). */
	after?: AfterBackupResult;
}

type Steps = Pick<Engine, 'backup' | 'afterBackup'>;

/** The exit code a backup's error stands for: what `status` records and the --on-failure hook is told. */
export const exitCodeOf = (error: unknown, signal?: AbortSignal): number => (signal?.aborted ? 130 : error instanceof CrxError ? error.exitCode : 1);

/**
 * The backup, then its nightly steps through afterBackup: after a good backup
 * prune, push and --on-success; after a failed, refused or cancelled one only
 * --on-failure, and the backup's error stands. The CLI's `backup` and the TUI's
 * backup job both run through here, so a night is the same whichever started it.
 */
export async function backupThenNightly(engine: Steps, request: NightlyBackupRequest): Promise<NightlyBackupOutcome> {
	const {backup, onWarning} = request;
	let summary: BackupSummary;
	try {
		summary = await engine.backup(backup);
	} catch (error) {
		await afterFailedBackup(engine, request, backup.target.path, error);
		throw error;
	}
	const plan = plansAnything(request.after) ? request.after : undefined;
	if (!plan) return {summary};
	const after = await engine.afterBackup({
		plan, repository: backup.repository, target: summary.target, exitCode: 0, dirs: request.dirs, signal: backup.signal, onWarning,
		...(request.push ? {push: request.push} : {}),
		...(request.onDrillEvent ? {onDrillEvent: request.onDrillEvent} : {}),
	});
	if (after.hookWarning) onWarning?.(after.hookWarning);
	return {summary, after};
}

/**
 * A night that failed before or during its backup: only --on-failure runs (told the
 * exit code), and whatever it says is a warning; the backup's own error is the
 * caller's to throw.
 */
export async function afterFailedBackup(engine: Pick<Engine, 'afterBackup'>, request: Omit<NightlyBackupRequest, 'backup'> & {backup: Pick<BackupOptions, 'repository' | 'signal'>}, target: string, error: unknown): Promise<void> {
	const plan = plansAnything(request.after) ? request.after : undefined;
	if (!plan) return;
	const result = await engine.afterBackup({plan, repository: request.backup.repository, target, exitCode: exitCodeOf(error, request.backup.signal), dirs: request.dirs, onWarning: request.onWarning})
		.catch(() => undefined);
	if (result?.hookWarning) request.onWarning?.(result.hookWarning);
}
