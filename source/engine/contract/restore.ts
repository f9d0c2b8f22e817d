/** Restore: its options, plan, preflight, events and summary. */
import type {OperationEvent} from '../progress-contract.js';
import type {BackupKind, BackupTarget, Estimate} from './backup.js';
import type {BackupRef} from './catalog.js';
import type {ManifestHeader} from './manifest.js';

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

/**
 * What stands in the way of starting a restored install: the AEM it was backed
 * up from still running on the same repository's port, or anything listening on
 * the port the restored bin/start would take (its CQ_PORT, default 4502).
 * Two AEMs cannot share a port; the old one must stop first, or the new one
 * start with another CQ_PORT.
 */
export interface StartAdvice {
	port: number;
	/** Something answers on `port` now. */
	portInUse: boolean;
	/** The backed-up AEM (its crx-quickstart) runs now. */
	sourceRunning?: string;
}
