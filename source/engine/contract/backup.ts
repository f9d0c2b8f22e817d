/** A backup: its options, target, stages, summary and events. */
import type {OperationEvent, StepEndEvent} from '../progress-contract.js';
import type {StorageLayout} from '../storage/types.js';

/** Minutes after local midnight; `end` may be below `start` (a window over midnight). */
export interface MaintenanceWindow {
	start: number;
	end: number;
}

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

/**
 * What a backup's summary and its manifest's header both say of the run, declared once so the two cannot
 * drift: the summary is what the operator sees at the end, the header what the backup keeps of it.
 */
export interface BackupRunRecord {
	source: string;
	kind: BackupKind;
	/** Files and bytes in the finished backup. */
	files: number;
	bytes: number;
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
	stages: StageSummary[];
	/** The seed says to discard a backup that ran longer than 24 hours. */
	over24h: boolean;
}

export interface BackupSummary extends BackupRunRecord {
	target: string;
	/** Size of the zip file (zip backups only). */
	zipBytes?: number;
	/** The time the delay actually added (slept in stages 1 and 2). */
	throttledMs: number;
	zipDurationMs?: number;
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
