// Imports nothing but the progress contract: types.ts re-exports this file (no cycle).
import type {OperationEvent} from '../progress-contract.js';

/** The restic steps as the progress views name them: pushing a backup, fetching one back into a staging folder. */
export type ResticStep = 'push' | 'fetch';

/** restic's own figures for one push (its backup summary). */
export interface PushSummary {
	backup: string;
	resticRepo: string;
	snapshotId: string;
	tags: string[];
	filesNew: number;
	filesChanged: number;
	filesUnmodified: number;
	/** Bytes the push added to the restic repository (after deduplication and compression). */
	dataAdded: number;
	totalFiles: number;
	totalBytes: number;
	durationMs: number;
}

export type PushEvent = OperationEvent<'push', PushSummary>;
/** Fetching a snapshot into restore's staging folder: a step of `restore restic:…` before restore's own. */
export type FetchEvent = Exclude<OperationEvent<'fetch', never>, {type: 'done'}>;

/** A restic snapshot of a crx-backup backup, as `list --restic-repo` shows it beside local backups. */
export interface ResticSnapshot {
	id: string;
	shortId: string;
	time: string;
	/** The backup's name when it was pushed, and the repository it was made of (from the snapshot's tags). */
	backup?: string;
	source?: string;
	hostname: string;
	tags: string[];
}
