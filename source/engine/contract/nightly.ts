/** Nightly runs: after-backup steps, retention, monitoring (status) and the last-run record. */
import type {CrxError} from '../platform/errors.js';
import type {PushSummary} from '../restic/types.js';
import type {BackupSummary, Repository} from './backup.js';
import type {BackupRecord, ListOptions} from './catalog.js';
import type {DrillEvent, DrillHealth, DrillSummary} from './drill.js';

/** What a nightly backup does once its outcome is known (--keep-*, --push, --on-success/--on-failure), checked. */
export interface AfterBackupPlan {
	/** Empty: no prune. */
	policy: RetentionPolicy;
	/** The restic repository a good backup is pushed to (--push). */
	push?: string;
	onSuccess?: string;
	onFailure?: string;
	hookTimeoutMs: number;
	/** --drill: after a good backup, its prune and push, drill it (drill/run.ts); a failed drill fails the run. */
	drill?: {startTimeoutMs: number; allowNetwork?: boolean};
}

export interface AfterBackupRequest {
	plan: AfterBackupPlan;
	repository: Repository;
	/** The backup's path (its target), whatever became of it. */
	target: string;
	/** The backup's outcome as an exit code: 0 done, 1 failed, 2 refused, 130 cancelled. */
	exitCode: number;
	/** Folders to prune besides the repository's backup folder (`--dir`); the target's own folder always is. */
	dirs?: string[];
	signal?: AbortSignal;
	onWarning?: (message: string) => void;
	/** How to push (the CLI prints restic's progress); default: pushBackup without progress. */
	push?: (backup: string, resticRepo: string) => Promise<PushSummary>;
	/** The drill's progress (--drill). */
	onDrillEvent?: (event: DrillEvent) => void;
}

export interface AfterBackupResult {
	prune?: PruneResult;
	pushed?: PushSummary;
	/** The prune or push failure that makes the run exit 1; the backup itself stays good. */
	failure?: CrxError;
	/** The drill --drill ran, ok or not. */
	drill?: DrillSummary;
	/** The hook's warning (it failed or timed out): never changes the outcome. */
	hookWarning?: string;
}

// Nightly runs: retention, monitoring and hooks.

/** The periods a retention rule counts; `last` counts backups. */
export type PeriodRule = 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly';

/** --keep-last/-hourly/-daily/-weekly/-monthly: how many distinct periods of each kind to keep (0 or absent: the rule is off). */
export type RetentionPolicy = Partial<Record<PeriodRule, number>>;

export interface PruneOptions extends ListOptions {
	policy: RetentionPolicy;
	/** Decide and report, delete nothing. */
	dryRun?: boolean;
	signal?: AbortSignal;
	/** The backup the run just made (backup --keep-*): kept whatever the rules or dates say. */
	justMade?: string;
}

/** What prune leaves alone without deciding it, and how the operator takes it in on purpose. */
export interface PruneLeft {
	path: string;
	name: string;
	/** Why: not provably written by crx-backup, or AEM uses (or used) it. */
	reason: string;
	/** What to do: `crx-backup adopt PATH`, or remove it by hand. */
	hint: string;
}

export interface PruneDecision {
	path: string;
	name: string;
	created: string;
	status: BackupRecord['status'];
	/** The repository (crx-quickstart) it is a backup of, as its manifest or marker says. */
	source: string;
	action: 'keep' | 'remove';
	/** keep: every rule that keeps it ("daily 2026-11-28"), or "newest complete", "running"; remove: why. */
	reasons: string[];
}

export interface PruneResult {
	policy: RetentionPolicy;
	dryRun: boolean;
	decisions: PruneDecision[];
	/** Paths deleted (none on a dry run). */
	deleted: string[];
	/** Deletions that failed or were refused, one sentence each; the others still went ahead. */
	failed: Array<{path: string; sentence: string}>;
	/** Backups of this repository prune did not decide, with why (not provably crx-backup's, in use by AEM). */
	left: PruneLeft[];
}

/** `status`'s answer; its JSON is documented in README ("Monitoring"). */
export interface HealthStatus {
	/** ok: a fresh backup and the last run succeeded; stale: none newer than maxAge; failed: the last run did not succeed (failed, refused or cancelled); none: no complete backup at all. */
	state: 'ok' | 'stale' | 'failed' | 'none';
	healthy: boolean;
	repository: string;
	checkedAt: string;
	maxAgeMs: number;
	newest?: {name: string; path: string; kind: string; created: string; ageMs: number; bytes: number};
	lastRun?: Omit<LastRun, 'summary'>;
	/** A backup of this repository is running now (its lock is held). */
	running: boolean;
	free: {path: string; bytes: number};
	/** The last drill and the last good one (`crx-backup drill`); with maxDrillAgeMs, a good drill older (or none) makes the status unhealthy. */
	drill?: DrillHealth;
}

export interface StatusOptions extends ListOptions {
	repository: Repository;
	maxAgeMs: number;
	/** --max-drill-age: the last good drill must be younger. */
	maxDrillAgeMs?: number;
}

/** What every backup leaves in the state folder, per repository: what `status` reads and the hooks get as CRX_BACKUP_SUMMARY. */
export interface LastRun {
	/** The crx-quickstart folder backed up. */
	repository: string;
	target: string;
	startedAt: string;
	finishedAt: string;
	/** The backup's exit code: 0 done, 1 failed, 2 refused (bad input, a target whose folder is gone), 130 cancelled. */
	exitCode: number;
	outcome: 'success' | 'failure' | 'cancelled';
	/** One sentence: what was backed up, or why it failed. */
	sentence: string;
	/** The backup's summary, on success. */
	summary?: BackupSummary;
}
