import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from '../errors.js';
import {isInsideOrEqual} from '../paths.js';
import {checkPrivatePlace} from '../safe-place.js';
import {deadRestoreStaging} from './staging.js';
import {maxNameBytes, maxPathBytes, pseudoFileSystemOf} from '../target-place.js';

/**
 * The one rule for a restore's destination, used by `restore` and by the TUI's
 * wizard as the operator types (one rule, because a copy of it in the wizard missed "one
 * folder inside the other" and accepted /proc/x). The destination must be a new
 * folder whose nearest existing ancestor is a real folder on a real file
 * system, or an existing empty folder (what a killed restore left in it does not
 * count: the restore removes it first). Neither it nor a folder above it may be
 * one another local user could redirect (checkPrivatePlace: an empty folder
 * someone else can write is refused; a new folder may be made in a sticky
 * shared one like /tmp, where the staging folder beside it is ours alone).
 * Throws a usage CrxError with the reason; `existed` says which of the two it
 * is. Reads only, never writes.
 */
export async function checkRestoreDestination(to: string, backup?: string): Promise<{existed: boolean}> {
	if (backup !== undefined && (isInsideOrEqual(backup, to) || isInsideOrEqual(to, backup))) {
		throw usageError(`Cannot restore ${shortPath(backup)} into ${shortPath(to)}: one lies inside the other; choose a folder elsewhere.`);
	}
	const tooLong = to.split('/').find(name => Buffer.byteLength(name) > maxNameBytes);
	if (tooLong !== undefined || Buffer.byteLength(to) > maxPathBytes) throw usageError(`The destination ${shortPath(to)} has a name or path too long for a file system: choose a shorter one.`);
	const stat = await fs.promises.lstat(to).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return undefined;
		if (error.code === 'ENOTDIR') throw usageError(`A parent of ${shortPath(to)} is a file, not a folder: choose another destination.`);
		throw usageError(`${shortPath(to)} cannot be read (${error.code ?? 'error'}): choose another destination.`);
	});
	if (!stat) {
		checkNewFolderPlace(to);
		checkPrivatePlace(to, 'the destination');
		return {existed: false};
	}
	if (!stat.isDirectory()) throw usageError(`${shortPath(to)} exists and is not a folder; the destination must be a new or empty folder.`);
	checkPrivatePlace(to, 'the destination');
	const entries = (await fs.promises.readdir(to)).filter(name => !deadRestoreStaging(path.join(to, name), to));
	if (entries.length > 0) throw usageError(`${shortPath(to)} is not empty (${entries.length} entries); the destination must be a new or empty folder, so nothing there is overwritten.`);
	return {existed: true};
}

/** A folder that does not exist yet: its nearest existing ancestor must be a folder on a real file system. */
function checkNewFolderPlace(to: string): void {
	const ancestor = nearestExisting(to);
	if (!fs.statSync(ancestor).isDirectory()) throw usageError(`${shortPath(ancestor)} is not a folder, so it cannot hold the destination: choose another.`);
	const kind = pseudoFileSystemOf(ancestor);
	if (kind) throw usageError(`The destination ${shortPath(to)} is on ${kind}, a kernel pseudo file system that cannot hold a restore: choose another folder.`);
}

function nearestExisting(dir: string): string {
	let at = path.dirname(dir);
	while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
	return at;
}

/**
 * Makes the folders above a new destination one level at a time (Node's
 * recursive mkdir loops forever where mkdir fails with ENOENT under an existing
 * parent, as on /proc). Returns the first folder it made, so that a
 * failed restore removes what it created and a missing parent stays missing.
 */
export async function makeParents(dir: string): Promise<string | undefined> {
	const missing: string[] = [];
	for (let at = dir; !fs.existsSync(at) && path.dirname(at) !== at; at = path.dirname(at)) missing.unshift(at);
	for (const folder of missing) await fs.promises.mkdir(folder);
	return missing[0];
}
