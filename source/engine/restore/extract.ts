import path from 'node:path';
import {EXTERNAL_DATASTORE} from '../storage/types.js';
import {UnsafeBackupError} from '../entries/entry-rules.js';
import type {OnProgress} from '../types.js';
import type {OnlyFilter} from './rules.js';
import type {FolderModes} from './folder-modes.js';

/** What a backup source (zip or directory) needs to restore into a staging folder. */
export interface ExtractContext {
	/** The restore folder as the operator named it. */
	to: string;
	/** Where files are written; renamed into `to` at the end. */
	staging: string;
	filter: OnlyFilter;
	signal?: AbortSignal;
	/** The entries come in path order (see RestoreCheck.ordered). */
	ordered: boolean;
	/** Called as bytes land; the restore orchestrator turns it into progress events. */
	progress: OnProgress;
	/** Where the backup's external-datastore/ is written: a staging folder of its own, beside the datastore's destination. */
	datastoreStaging?: string;
}

/**
 * Where an entry (a name BackupTree accepted) is written: below the staging
 * folder, or, for external-datastore/, below the datastore's own staging folder
 * (on the datastore's file system, so one rename puts it in place).
 */
export function stagedPath(context: Pick<ExtractContext, 'staging' | 'datastoreStaging'>, name: string): string {
	const parts = name.split('/');
	if (parts[0] !== EXTERNAL_DATASTORE) return path.join(context.staging, ...parts);
	if (!context.datastoreStaging) throw new UnsafeBackupError(`${JSON.stringify(name)} lies in ${EXTERNAL_DATASTORE}/, which its manifest does not declare`);
	return path.join(context.datastoreStaging, ...parts.slice(1));
}

/** What the check pass (before anything is written) found: what --only keeps. */
export interface RestoreCheck {
	files: number;
	bytes: number;
	/** The entries come in path order, each folder's contents right after it (our zips, a manifest): folders can be finished as the entries leave them. */
	ordered: boolean;
}

export interface ExtractResult {
	files: number;
	bytes: number;
	/** Paths relative to the restore folder, made executable because the backup had no mode for them. */
	madeExecutable: string[];
	/** Folders not finished during the extract (see FolderModes): applied in the modes step. */
	folders: FolderModes;
}
