import path from 'node:path';

/**
 * True when `child` is `parent` itself or lies below it. Compares with
 * path.relative, never a string prefix, so a sibling `/a/dir2` is not inside `/a/dir`.
 */
export function isInsideOrEqual(parent: string, child: string): boolean {
	const relative = path.relative(path.resolve(parent), path.resolve(child));
	if (relative === '') return true;
	return relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative);
}

/** The name of the top-level folder every backup holds. */
export const QUICKSTART = 'crx-quickstart';
/** The marker a directory target carries while a backup runs (AEM's name). */
export const IN_PROGRESS_MARKER = 'backupInProgress.txt';
/** The manifest at the top of every backup. */
export const MANIFEST_NAME = 'crx-backup-manifest.jsonl';
/** The marker inside a zip backup's staging folder: which process owns it. */
export const STAGING_MARKER = '.crx-backup-staging.json';
/** The marker inside a restore's staging folder (`*.restoring`): which process owns it. */
export const RESTORE_STAGING_MARKER = '.crx-restore-staging.json';
/** Trees AEM's online backup always leaves out (relative to crx-quickstart). */
export const DEFAULT_EXCLUDES = ['repository/index', 'repository/cache'];
/** The marker a folder being deleted carries first (its owner, its path); its manifest and this go last. */
export const DELETING_MARKER = '.crx-backup-deleting.json';
