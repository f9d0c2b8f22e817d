import {MAX_LINK_TARGET, type TreeEntry, type TreeKind, UnsafeBackupError} from '../entries/entry-rules.js';
import {MANIFEST_NAME} from '../platform/paths.js';
import {UnsafeEntryError, type ZipEntryInfo, type ZipReader} from '../zip/reader.js';

/** How a zip's entries reach BackupTree: the same for verify and both restore passes. */

const S_IFMT = 0o170000;
/** Types restore creates: a file, a folder, a link. Devices, FIFOs and sockets are refused (see entryKind). */
const RESTORABLE = new Set([0, 0o100000, 0o040000, 0o120000]);

/**
 * The entries but the manifest, synchronously (the loops yield to the event loop themselves: an await per entry is not free);
 * a name the reader itself finds unsafe (absolute, `..`, NUL) becomes an UnsafeBackupError.
 */
export function * zipEntriesSync(reader: ZipReader): Generator<ZipEntryInfo> {
	try {
		for (const entry of reader.entriesSync()) {
			if (entry.name !== MANIFEST_NAME) yield entry;
		}
	} catch (error) {
		throw asUnsafe(error);
	}
}

/** The reader refuses absolute and `..` names itself, in any pass over the directory (zipLayout's too): the same sentence wherever it is met. */
export function asUnsafe(error: unknown): unknown {
	return error instanceof UnsafeEntryError ? new UnsafeBackupError(`an entry's name is unsafe (${error.message})`) : error;
}

/**
 * A device, FIFO or socket mode would otherwise be written as a plain 0666 file
 * (its type bits dropped): refused in verify and restore alike, so an operator
 * learns of it before a restore, not from a half-working install.
 */
export function entryKind(entry: ZipEntryInfo): TreeKind {
	if (entry.mode !== undefined && !RESTORABLE.has(entry.mode & S_IFMT)) return 'special';
	if (entry.isSymlink) return 'symlink';
	return entry.isDirectory ? 'dir' : 'file';
}

/**
 * The entry as BackupTree sees it. The stored name keeps its doubled or `.`
 * parts (the reader strips every trailing slash; only a folder's one is ours
 * to drop), so `crx-quickstart//` and `crx-quickstart/.` are refused, not
 * merged into `crx-quickstart`.
 */
export function treeEntry(entry: ZipEntryInfo, target?: string): TreeEntry {
	const stored = entry.central.name;
	const name = stored.endsWith('/') ? stored.slice(0, -1) : stored;
	return {name, kind: entryKind(entry), mode: entry.mode, target};
}

/** A link's target must be read before the tree can judge it; a long one is refused unread. */
export function checkLinkSize(entry: ZipEntryInfo): void {
	if (entry.size > MAX_LINK_TARGET) throw new UnsafeBackupError(`${entry.name} is a symbolic link with a ${entry.size}-byte target`);
}
