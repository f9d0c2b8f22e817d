import fs from 'node:fs';
import path from 'node:path';
import {find} from './list.js';
import {CrxError, describeFsError, failure, usageError} from '../errors.js';
import {IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME, QUICKSTART} from '../paths.js';
import {removeTree} from '../walk/remove-tree.js';
import type {BackupRecord, BackupRef, ListOptions, Repository} from '../types.js';

function refuseLiveRepository(target: string, repository?: Repository): void {
	if (!repository) return;
	// The install folder, any folder above it, the repository and anything inside it: deleting any of them destroys live data.
	if (isInsideOrEqual(target, repository.install) || isInsideOrEqual(repository.quickstart, target)) {
		throw usageError(`Refusing to delete ${target}: it is (or holds, or lies inside) the live repository ${repository.quickstart}.`);
	}
}

/**
 * What `delete` never deletes, whatever the front end: an install (restored by
 * crx-backup, or a crx-quickstart folder that carries neither manifest nor
 * marker) and a backup still being written. Throws the usage error that says why.
 */
export function refuseUndeletable(record: BackupRecord): void {
	if (record.install?.restored) {
		const from = record.install.from ? ` from ${record.install.from}` : '';
		throw usageError(`Refusing to delete ${record.path}: it is an install crx-backup restored${from}, not a backup; remove it by hand if it is no longer needed.`);
	}
	if (record.status === 'install') {
		throw usageError(`Refusing to delete ${record.path}: it holds a ${QUICKSTART} with neither a ${MANIFEST_NAME} nor AEM's ${IN_PROGRESS_MARKER}, so it may be an install, not a backup; remove it by hand if you are sure.`);
	}
	if (record.status === 'running') {
		throw usageError(`Refusing to delete ${record.path}: a backup is still writing it; wait for it to finish or cancel it first.`);
	}
}

/**
 * Deletes a backup, or a leftover of one (staging folder, partial zip). Every
 * refusal happens before anything is touched. removeTree never follows a link,
 * not even a folder swapped for one while it runs (it stops instead), so
 * nothing outside the backup can go with it.
 *
 * `dryRun`: every check, then nothing deleted (delete --dry-run).
 *
 * A record is the one exception to "resolved once" (BackupRef): its path is read
 * again, because time passed since it was made (the operator's y/N, a list on
 * screen) and a backup started or finished meanwhile changes what may go.
 */
export async function remove(backup: BackupRef, options: ListOptions, how: {dryRun?: boolean} = {}): Promise<void> {
	const given = typeof backup === 'string' ? backup : backup.path;
	// Checked on the path as given too: `find` would call a folder above the install "not a backup", which undersells it.
	if (fs.existsSync(given)) refuseLiveRepository(path.resolve(given), options.repository);
	const record = await find(given, options);
	refuseLiveRepository(record.path, options.repository);
	refuseUndeletable(record);
	// A dry run is refused exactly where a delete would be, then touches nothing (a file-system error it cannot foresee).
	if (how.dryRun) return;
	try {
		await removeTree(record.path);
	} catch (error) {
		if (error instanceof CrxError) throw error;
		throw failure(describeFsError(error, `deleting ${record.path}`), error);
	}
}
