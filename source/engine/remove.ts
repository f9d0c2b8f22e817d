import fs from 'node:fs';
import {removeTree} from './remove-tree.js';
import path from 'node:path';
import {find} from './catalog.js';
import {describeFsError, failure, usageError} from './errors.js';
import {isInsideOrEqual} from './paths.js';
import type {ListOptions, Repository} from './types.js';

function refuseLiveRepository(target: string, repository?: Repository): void {
	if (!repository) return;
	// The install folder, any folder above it, the repository and anything inside it: deleting any of them destroys live data.
	if (isInsideOrEqual(target, repository.install) || isInsideOrEqual(repository.quickstart, target)) {
		throw usageError(`Refusing to delete ${target}: it is (or holds, or lies inside) the live repository ${repository.quickstart}.`);
	}
}

/**
 * Deletes a backup, or a leftover of one (staging folder, partial zip). Every
 * refusal happens before anything is touched. fs.rm with `recursive` removes
 * symlinks inside a directory backup as links and never follows them, so a link
 * pointing outside the backup cannot take its target with it.
 */
export async function remove(backup: string, options: ListOptions): Promise<void> {
	// Checked on the path as given too: `find` would call a folder above the install "not a backup", which undersells it.
	if (fs.existsSync(backup)) refuseLiveRepository(path.resolve(backup), options.repository);
	const record = await find(backup, options);
	refuseLiveRepository(record.path, options.repository);
	if (record.status === 'running') {
		throw usageError(`Refusing to delete ${record.path}: a backup is still writing it; wait for it to finish or cancel it first.`);
	}
	try {
		await removeTree(record.path);
	} catch (error) {
		throw failure(describeFsError(error, `deleting ${record.path}`), error);
	}
}
