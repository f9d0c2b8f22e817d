/** The backups a folder holds, as list, delete and prune see them. */
import type {BackupKind, Repository} from './backup.js';
import type {ManifestHeader} from './manifest.js';

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

export interface ListOptions {
	repository?: Repository;
	dirs?: string[];
	/** One sentence per entry `list` had to skip (a folder it may not read); the listing goes on. */
	onWarning?: (message: string) => void;
}
