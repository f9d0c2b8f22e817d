/**
 * The engine's contract with its two front ends (headless commands, Ink TUI).
 * The engine never prints, never reads the terminal and never exits the process:
 * it takes options plus an AbortSignal and reports through typed events.
 */

import type {OperationEvent, StepEndEvent} from './progress-contract.js';
import type {MaintenanceWindow} from './backup/maintenance-window.js';
import type {ManifestStorage, StorageLayout} from './storage/types.js';

export type {ManifestStorage, StorageLayout} from './storage/types.js';
import type {FetchEvent, PushEvent, PushSummary} from './restic/types.js';
import type {CrxError} from './errors.js';
import type {StartAdvice} from './restore/start-advice.js';

export type * from './restic/types.js';

export type {OnProgress, OperationEvent, Progress, ProgressEvent, StepEndEvent, StepStartEvent} from './progress-contract.js';

export type BackupKind = 'zip' | 'directory';
export type StageNumber = 1 | 2 | 3 | 4;
export type Phase = 'A' | 'B';
/** How a backup's copy is made: see backup/methods/method.ts. */
export type BackupMethod = 'online' | 'snapshot' | 'offline';

/** The snapshot a snapshot (or offline) backup copied from. */
export interface SnapshotReport {
	kind: 'btrfs' | 'command';
	/** How long making the snapshot took (inside the writes-blocked window). */
	createMs: number;
	/** Deleted (btrfs) or released by --snapshot-release-cmd once the backup was over. */
	released: boolean;
}

/** What the method adds to a backup's summary. */
export interface MethodReport {
	method: BackupMethod;
	/** Offline: from the stop command to the start command's return (0 when --force backed up a stopped AEM). */
	downtimeMs?: number;
	snapshot?: SnapshotReport;
}

/** One step of a backup as the operator sees it: stage 1..4 with phase A (all but the datastore) or B (the datastore), then zipping. */
export type Step = {stage: StageNumber; phase: Phase} | {stage: 'zip'};

/** A resolved repository: the crx-quickstart folder, the install folder holding it, and where backups go by default. */
export interface Repository {
	/** Absolute path of the crx-quickstart folder (the tree that is backed up). */
	quickstart: string;
	/** Absolute path of the install folder that holds crx-quickstart. */
	install: string;
	/** Default backup folder: the parent of the install folder (AEM at /opt/AEM backs up into /opt). */
	backupDir: string;
}

export interface BackupTarget {
	path: string;
	kind: BackupKind;
}

export interface BackupOptions {
	repository: Repository;
	target: BackupTarget;
	/** Throttle for stages 1 and 2, in ms (AEM's "Delay"). */
	delayMs: number;
	/** Paths relative to crx-quickstart that are left out; the defaults (repository/index, repository/cache) are always added. */
	exclude?: string[];
	/** Run through `sh -c` before stage 4 to block repository writes; CRX_BACKUP_REPO and CRX_BACKUP_TARGET are in its environment. */
	freezeCmd?: string;
	/** Run after stage 4 whenever the freeze command ran: on success, failure and cancel. */
	thawCmd?: string;
	/** A freeze command still running after this is stopped and the backup aborts. Default: defaultFreezeTimeoutMs (option-rules.ts). */
	freezeTimeoutMs?: number;
	/** --aem: AEM's address and user; its blockRepositoryWrites/unblockRepositoryWrites are the freeze and thaw (source/engine/aem/). */
	aem?: {url: string; user?: string};
	/** Without aem: warn when the backup starts inside this window (local time); null or undefined: no warning. */
	maintenanceWindow?: MaintenanceWindow | null;
	/** The external FileDataStore's folder, instead of the one the OSGi configuration names. */
	datastore?: string;
	/** False (--no-external-datastore): an external FileDataStore is left out, with a warning. Default true. */
	externalDatastore?: boolean;
	/** The operator knows the binaries or nodes live in S3, Azure or MongoDB: back up the files anyway. */
	filesOnly?: boolean;
	/** A previous complete directory backup whose unchanged files are hard-linked, not copied (rsync's --link-dest). */
	linkDest?: string;
	/** Without linkDest: link to the newest complete directory backup of this repository beside the target. */
	incremental?: boolean;
	/** Start even when the target's file system has less free space than the backup needs (see checkSpace); with --aem, even while AEM runs a GC or its own backup; offline: back up an AEM that is already down. */
	force?: boolean;
	/** Default online. */
	method?: BackupMethod;
	/** Prints the mounted snapshot's path of the install folder (snapshot, and offline's optional snapshot). */
	snapshotCmd?: string;
	/** Gets that path in CRX_BACKUP_SNAPSHOT; runs whenever the snapshot command ran. */
	snapshotReleaseCmd?: string;
	/** Offline: default crx-quickstart/bin/stop and bin/start. */
	stopCmd?: string;
	startCmd?: string;
	/** Offline: how long AEM may take to be down. Default defaultStopTimeoutMs. */
	stopTimeoutMs?: number;
	signal?: AbortSignal;
	onEvent?: (event: BackupEvent) => void;
}

export interface StageSummary {
	stage: StageNumber;
	/** Files this stage copied. */
	files: number;
	/** Bytes this stage copied. */
	bytes: number;
	/** Files this stage deleted from the target because they were gone from the source. */
	deleted: number;
	durationMs: number;
}

export interface BackupSummary {
	target: string;
	kind: BackupKind;
	source: string;
	/** Files and bytes in the finished backup. */
	files: number;
	bytes: number;
	/** Size of the zip file (zip backups only). */
	zipBytes?: number;
	startedAt: string;
	finishedAt: string;
	durationMs: number;
	/** How long repository writes were blocked (0 without a freeze command). */
	writesBlockedMs: number;
	/** Whether stage 4 ran with writes blocked, as what blocks them confirmed (false when AEM did not). */
	writesBlocked: boolean;
	/** Writes were to be blocked but AEM did not confirm it: the sentence saying why ("writes blocking not confirmed"). */
	writesBlockingNotConfirmed?: string;
	delayMs: number;
	/** The time the delay actually added (slept in stages 1 and 2). */
	throttledMs: number;
	stages: StageSummary[];
	zipDurationMs?: number;
	/** The seed says to discard a backup that ran longer than 24 hours. */
	over24h: boolean;
	/** Things the operator should know: skipped special files, symlink loops, a failed thaw. */
	warnings: string[];
	method: BackupMethod;
	/** Offline only. */
	downtimeMs?: number;
	snapshot?: SnapshotReport;
}

export type BackupEvent =
	| {type: 'start'; source: string; target: string; kind: BackupKind; repositoryBytes: number; repositoryFiles: number; delayMs: number; estimatedDelayMs: number; writesBlocked: boolean}
	| Exclude<OperationEvent<Step, BackupSummary>, {type: 'step-end'}>
	/** A backup's steps always say what they copied and deleted. */
	| (StepEndEvent<Step> & {files: number; bytes: number; deleted: number})
	| {type: 'freeze'; command: string}
	| {type: 'thaw'; command: string; ok: boolean}
	/** Offline: AEM is being stopped, is down (the copy may start), is being started, runs again. */
	| {type: 'aem'; state: AemState};

export type AemState = 'stopping' | 'down' | 'starting' | 'running';

export interface Estimate {
	repository: string;
	/** Bytes that would be backed up (excluded trees not counted). */
	repositoryBytes: number;
	repositoryFiles: number;
	kind: BackupKind;
	target: string;
	divisor: 2 | 4;
	delayMs: number;
	/** repository MiB × delay ms ÷ divisor (AEM's formula). */
	delaySeconds: number;
	over24h: boolean;
	/** Where the AEM keeps nodes and binaries (its OSGi configuration). */
	storage?: StorageLayout;
	/** An external FileDataStore the backup would copy: its files and bytes (not in repositoryBytes). */
	externalDatastore?: {path: string; files: number; bytes: number};
}

/** A file or folder recorded in a backup's manifest. Paths are relative to the backup root and start with `crx-quickstart/`. */
export type ManifestEntry =
	| {path: string; type: 'file'; size: number; mode: number; mtimeMs: number; crc32: string}
	| {path: string; type: 'dir'; mode: number; mtimeMs: number};

/** The first line of the manifest (JSON Lines: this header, then one ManifestEntry per line). */
export interface ManifestHeader {
	format: 'crx-backup-manifest';
	formatVersion: 1;
	tool: string;
	toolVersion: string;
	source: string;
	kind: BackupKind;
	startedAt: string;
	finishedAt: string;
	durationMs: number;
	writesBlocked: boolean;
	writesBlockedMs: number;
	/** As in BackupSummary: the block was asked for but not confirmed. */
	writesBlockingNotConfirmed?: string;
	delayMs: number;
	stages: StageSummary[];
	exclude: string[];
	files: number;
	bytes: number;
	over24h: boolean;
	/** Node and blob store as configured; an external datastore's original path. */
	storage?: ManifestStorage;
	/** --link-dest/--incremental: the previous backup whose unchanged files this one shares as hard links. */
	linkedFrom?: string;
	/** Absent in manifests written before --method: online. */
	method?: BackupMethod;
	/** What blocked writes in stage 4: AEM's console (its address, no credentials) or the freeze command as given. */
	freeze?: {aem: string} | {command: string};
}

/** 'install' is not a backup at all: a folder `list` shows so the operator sees it, that `delete` refuses. */
export type BackupStatus = 'complete' | 'incomplete' | 'running' | 'install';

export interface BackupRecord {
	path: string;
	name: string;
	kind: BackupKind;
	bytes: number;
	/** ISO 8601. */
	created: string;
	status: BackupStatus;
	/** Its manifest says it ran longer than 24 hours. */
	over24h: boolean;
	/**
	 * A leftover staging folder or partial zip rather than a backup proper; restore-staging: a restore's (`*.restoring`);
	 * deleting: a backup whose delete was interrupted (its .crx-backup-deleting.json marker), for delete or prune to finish.
	 */
	leftover?: 'staging' | 'partial-zip' | 'restore-staging' | 'deleting';
	/**
	 * Set with status 'install': `restored` when crx-backup restored it (its
	 * .crx-restored marker, `from` the backup the marker names); otherwise a
	 * crx-quickstart folder with neither a manifest nor AEM's marker (an install,
	 * or a backup AEM made: they cannot be told apart).
	 */
	install?: {restored: boolean; from?: string};
	manifest?: ManifestHeader;
	/**
	 * Zips: when the file was last written (its mtime). The manifest is zipped first, so its
	 * durationMs ends before zipping; the time to here includes it (a copied zip's mtime may not).
	 */
	zipWrittenAt?: string;
	/** Directory backups of a --link-dest chain: bytes of the files only this backup holds (st_nlink 1), what deleting it frees. */
	addedBytes?: number;
	/** Why a backup that looks complete is not (another user's, dated in the future, not whole, over 24 hours): its status is then incomplete. */
	problem?: string;
	/**
	 * crx-backup can prove it wrote this: its record in the state folder matches what is on disk (catalog/provenance.ts),
	 * or, for a leftover, its marker is this user's and names this place. Only such a record may be pruned or deleted.
	 */
	ours?: boolean;
	/** Why it is not provably ours (ours false). */
	unproven?: string;
	/** The operator adopted it (`crx-backup adopt`) rather than crx-backup recording it as it made it. */
	adopted?: boolean;
}

/**
 * A backup as a front end names it: a path or a name `list` shows (looked up with
 * `find`), or the record `find` or `list` already returned (used as it is, not
 * looked up again).
 */
export type BackupRef = string | BackupRecord;

export interface VerifyProblem {
	path: string;
	problem: string;
}

export interface VerifyResult {
	ok: boolean;
	files: number;
	bytes: number;
	problems: VerifyProblem[];
}

export interface RestoreOptions {
	backup: BackupRef;
	to: string;
	deleteIndex?: boolean;
	/** Restore only these subtrees (relative to crx-quickstart, or to the backup root). */
	only?: string[];
	/** Restore a directory backup still marked with backupInProgress.txt. */
	force?: boolean;
	/** Where an external datastore goes instead of the path its manifest records. */
	datastoreTo?: string;
	/** Rewrite the FileDataStore's `path` in the restored OSGi configuration to where the datastore went. */
	pointConfig?: boolean;
	signal?: AbortSignal;
	onEvent?: (event: RestoreEvent) => void;
}

export type RestoreStep = 'verify' | 'extract' | 'modes';

export type RestoreEvent = OperationEvent<RestoreStep, RestoreSummary>;

/** Verify is one step, named as restore's first step (which is the same check). */
export type VerifyStep = 'verify';
export type VerifyEvent = OperationEvent<VerifyStep, VerifyResult>;

export interface VerifyOptions {
	signal?: AbortSignal;
	onEvent?: (event: VerifyEvent) => void;
}

/** Any operation's event: what the progress store and the printers take. */
export type EngineEvent = BackupEvent | RestoreEvent | VerifyEvent | PushEvent | FetchEvent;

export interface RestoreSummary {
	to: string;
	files: number;
	bytes: number;
	/** Paths (relative to `to`) made executable because the zip carried no unix modes. */
	madeExecutable: string[];
	deletedIndex: boolean;
	durationMs: number;
	/** Where an external datastore was restored, and whether its OSGi configuration now points there. */
	datastore?: {to: string; pointedConfig: boolean};
	/** What stands in the way of starting it: its port in use, the backed-up AEM still running (restore/start-advice.ts). */
	start?: StartAdvice;
}

/** What the Create Backup form shows live as the operator types (and what `estimate` prints). */
export interface Preflight {
	target: BackupTarget;
	estimate: Estimate;
	/** Bytes needed at the target: the backup, plus the staging folder for a zip. */
	bytesNeeded: number;
	/** Free bytes on the target's file system (of its nearest existing ancestor). */
	bytesFree: number;
	/** Sentences that do not stop a backup: over 24 h, an existing directory that will be re-synced, a datastore outside crx-quickstart. */
	warnings: string[];
	/** Sentences that do: a target inside the repository, not enough space. */
	errors: string[];
	/** The not-enough-space sentence, when it is among the errors: the one --force overrides. */
	spaceShort?: string;
	/** The target zip exists: replacing it needs --force (the TUI asks); the sentence, when it is among the errors. */
	replaces?: string;
}

/** What the Restore wizard shows before it starts. */
export interface RestorePlan {
	backup: string;
	kind: BackupKind;
	files: number;
	bytes: number;
	/** False for zips made by AEM itself (Java): no unix modes stored. */
	hasUnixModes: boolean;
	/** Paths (relative to the restore folder) that restore will make executable. */
	willMakeExecutable: string[];
	/** A directory backup still marked with backupInProgress.txt. */
	inProgress: boolean;
	/** Its manifest says it ran longer than 24 hours: AEM's rule is to discard it, so restore asks for Force. */
	over24h?: boolean;
	manifest?: ManifestHeader;
}

export interface ListOptions {
	repository?: Repository;
	dirs?: string[];
	/** One sentence per entry `list` had to skip (a folder it may not read); the listing goes on. */
	onWarning?: (message: string) => void;
}

/** What a nightly backup does once its outcome is known (--keep-*, --push, --on-success/--on-failure), checked. */
export interface AfterBackupPlan {
	/** Empty: no prune. */
	policy: RetentionPolicy;
	/** The restic repository a good backup is pushed to (--push). */
	push?: string;
	onSuccess?: string;
	onFailure?: string;
	hookTimeoutMs: number;
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
}

export interface AfterBackupResult {
	prune?: PruneResult;
	pushed?: PushSummary;
	/** The prune or push failure that makes the run exit 1; the backup itself stays good. */
	failure?: CrxError;
	/** The hook's warning (it failed or timed out): never changes the outcome. */
	hookWarning?: string;
}

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
}

export interface StatusOptions extends ListOptions {
	repository: Repository;
	maxAgeMs: number;
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
