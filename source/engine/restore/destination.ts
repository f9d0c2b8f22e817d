import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from '../platform/errors.js';
import {IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {checkPrivatePlace} from '../platform/safe-place.js';
import {deadRestoreStaging} from './staging.js';
import {maxNameBytes, maxPathBytes, pseudoFileSystemOf} from '../platform/target-place.js';

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
	checkOutsideInstalls(to);
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
	if (holdsQuickstart(to)) throw usageError(`${shortPath(to)} is an AEM install (it holds ${QUICKSTART}), not an empty folder: a restore never writes onto an install; choose a new or empty folder.`);
	const entries = (await fs.promises.readdir(to)).filter(name => !deadRestoreStaging(path.join(to, name), to));
	if (entries.length > 0) throw usageError(`${shortPath(to)} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}); the destination must be a new or empty folder, so nothing there is overwritten.`);
	return {existed: true};
}

/**
 * Refuses a destination inside a crx-quickstart or an install (a folder holding
 * one), on the path as given and where it really leads (the realpath of its
 * deepest existing part, the rest appended): a restore there writes into the
 * running AEM, and that AEM's next backup copies the restored copy too. A
 * directory backup holds a crx-quickstart as well; inside one is refused alike.
 */
function checkOutsideInstalls(to: string): void {
	const existing = fs.existsSync(to) ? to : nearestExisting(to);
	let real = to;
	try {
		real = path.join(fs.realpathSync(existing), path.relative(existing, to));
	} catch {
		// Unreadable: the checks below refuse it with their own sentence.
	}
	for (const where of new Set([to, real])) {
		for (let above = path.dirname(where); ; above = path.dirname(above)) {
			if (path.basename(above) === QUICKSTART) {
				throw usageError(`${shortPath(to)} lies inside ${shortPath(above)}: a restore there writes into the running AEM, and its next backup copies the restored copy too; choose a folder outside any install.`);
			}
			if (holdsQuickstart(above)) {
				const backup = [MANIFEST_NAME, IN_PROGRESS_MARKER].some(name => fs.existsSync(path.join(above, name)));
				throw usageError(backup
					? `${shortPath(to)} lies inside the backup ${shortPath(above)}: choose a folder outside it.`
					: `${shortPath(to)} lies inside the AEM install ${shortPath(above)}: a restore there writes into the running AEM, and its next backup copies the restored copy too; choose a folder outside any install.`);
			}
			if (path.dirname(above) === above) break;
		}
	}
}

/** A folder holding a crx-quickstart folder (followed: a link to one is an install too). */
function holdsQuickstart(dir: string): boolean {
	try {
		return fs.statSync(path.join(dir, QUICKSTART), {throwIfNoEntry: false})?.isDirectory() === true;
	} catch {
		return false; // Not a folder, or not ours to read: not an install we could write into either.
	}
}

/** A folder that does not exist yet: its nearest existing ancestor must be a folder on a real file system. */
function checkNewFolderPlace(to: string): void {
	const ancestor = nearestExisting(to);
	// A link to nothing on the way: mkdir cannot make a folder through it, and where it points is not checked.
	if (!fs.existsSync(ancestor)) throw usageError(`${shortPath(ancestor)} is a link to nothing, so it cannot hold the destination: choose another.`);
	if (!fs.statSync(ancestor).isDirectory()) throw usageError(`${shortPath(ancestor)} is not a folder, so it cannot hold the destination: choose another.`);
	const kind = pseudoFileSystemOf(ancestor);
	if (kind) throw usageError(`The destination ${shortPath(to)} is on ${kind}, a kernel pseudo file system that cannot hold a restore: choose another folder.`);
}

/** The deepest part of `dir` above it that is there (a link counts, even one to nothing). */
function nearestExisting(dir: string): string {
	let at = path.dirname(dir);
	while (!there(at) && path.dirname(at) !== at) at = path.dirname(at);
	return at;
}

function there(file: string): boolean {
	try {
		fs.lstatSync(file);
		return true;
	} catch {
		return false; // Missing, or under a file (ENOTDIR): the checks refuse the latter with their own sentence.
	}
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
