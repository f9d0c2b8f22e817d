/** The Engine object both front ends call, and the union of every event it reports. */
import type {FetchEvent, PushEvent, ResticStep} from '../restic/types.js';
import type {BackupEvent, BackupMethod, BackupOptions, BackupSummary, BackupTarget, Estimate, Repository, Step} from './backup.js';
import type {BackupRecord, BackupRef, ListOptions} from './catalog.js';
import type {DrillEvent, DrillHealth, DrillOptions, DrillStep, DrillSummary} from './drill.js';
import type {AfterBackupRequest, AfterBackupResult, HealthStatus, PruneOptions, PruneResult, StatusOptions} from './nightly.js';
import type {Preflight, RestoreEvent, RestoreOptions, RestorePlan, RestoreStep, RestoreSummary} from './restore.js';
import type {VerifyEvent, VerifyOptions, VerifyResult} from './verify.js';

/** Any operation's step: what a progress view lists. */
export type AnyStep = Step | RestoreStep | ResticStep | DrillStep;

/** Any operation's event: what the progress store and the printers take. */
export type EngineEvent = BackupEvent | RestoreEvent | VerifyEvent | PushEvent | FetchEvent | DrillEvent;

/**
 * The engine as both front ends see it. The TUI takes one of these as a prop, so
 * its screens are tested against a fake and run against the real thing.
 */
export interface Engine {
	resolveRepository(repo?: string, cwd?: string): Promise<Repository>;
	/** Resolves --target against the repository (default name, relative paths, kind); throws a usage CrxError for a bad one. */
	resolveTarget(repository: Repository, target?: string, now?: Date): BackupTarget;
	estimate(repository: Repository, target: BackupTarget, delayMs: number, exclude?: string[]): Promise<Estimate>;
	/** forceHint: the space sentence mentions --force (the CLI has it, the TUI has not). */
	/** trees: --datastore, --no-external-datastore and --files-only, as the backup would take them. */
	preflight(repository: Repository, target: BackupTarget, delayMs: number, exclude?: string[], options?: {forceHint?: boolean; trees?: {datastore?: string; externalDatastore?: boolean; filesOnly?: boolean}}): Promise<Preflight>;
	backup(options: BackupOptions): Promise<BackupSummary>;
	/** Why `method` cannot back up this repository now (not on btrfs, AEM not running), or undefined. Optional: fakes may leave it out. */
	checkMethod?(repository: Repository, method: BackupMethod): Promise<string | undefined>;
	list(options: ListOptions): Promise<BackupRecord[]>;
	/** Resolves BACKUP (a path, or a name `list` shows) to a record; throws a usage CrxError when it is not a backup. */
	find(backup: string, options: ListOptions): Promise<BackupRecord>;
	remove(backup: BackupRef, options: ListOptions, how?: {dryRun?: boolean}): Promise<void>;
	/** Damage is in the result, never thrown; progress comes through onEvent like backup and restore (one step, `verify`). */
	verify(backup: BackupRef, options?: VerifyOptions): Promise<VerifyResult>;
	planRestore(backup: BackupRef): Promise<RestorePlan>;
	/** The restore destination rule: throws a usage CrxError saying why `to` cannot receive `backup`; `existed`: an empty folder, not a new one. */
	checkDestination(to: string, backup?: string): Promise<{existed: boolean}>;
	restore(options: RestoreOptions): Promise<RestoreSummary>;
	/** Applies a retention policy (restic's forget semantics) to this repository's backups; see retention/prune.ts. */
	prune(options: PruneOptions): Promise<PruneResult>;
	/** Health at a glance: newest complete backup, its age, the last run, free space; see monitor/status.ts. */
	status(options: StatusOptions): Promise<HealthStatus>;
	/** A backup's nightly steps once its outcome is known: prune, push, hook; see monitor/after-backup.ts. */
	afterBackup(request: AfterBackupRequest): Promise<AfterBackupResult>;
	/**
	 * A restore drill (drill/run.ts): verify, restore into a scratch folder, start AEM there isolated, wait until
	 * ready, stop, clean up. Refusals throw a usage CrxError (exit 2), a cancel a cancelled one (130); a drill that
	 * ran resolves with its summary, `ok` false when AEM did not come up (exit 1). Progress: DrillEvent.
	 */
	drill(options: DrillOptions): Promise<DrillSummary>;
	/** The last drill and the last good one from the state folder; `fresh` with a maximum age. Cleans up after a killed drill first. */
	drillHealth(repository: Repository, maxAgeMs?: number): Promise<DrillHealth>;
}
