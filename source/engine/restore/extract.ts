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
