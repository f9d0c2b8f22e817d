import fs from 'node:fs';
import path from 'node:path';
import {racyWindowMs} from './settled.js';
import {shortPath, usageError} from '../platform/errors.js';
import type {PhaseScope} from './scope.js';
import {StateReader, StateWriter, type StateRecord} from './state-file.js';

/** A file or folder of the source tree as a walk found it. `rel` uses '/' and is relative to crx-quickstart. */
export interface ScannedEntry {
	rel: string;
	type: 'file' | 'dir';
	size: number;
	mode: number;
	mtimeMs: number;
	ctimeMs: number;
	ino: number;
}

/** The scope: only its `only` sub-tree (listed itself, first), or everything but its `skip`. */
export interface WalkOptions extends PhaseScope {
	/** Sub-trees (relative, '/') to leave out. */
	exclude: string[];
	signal?: AbortSignal;
	/** Special files, dangling links and symlink loops that were skipped, one sentence each. */
	onWarning?: (message: string) => void;
	/** Leave out names a zip cannot hold safely (a backslash), with a warning: the walk feeds a zip backup. */
	zipNames?: boolean;
	/** Folder listings an earlier walk of the same scope wrote: a folder unchanged since (same times and inode) is not read again. */
	listingIn?: string;
	/** Where this walk writes its folder listings, for the next one. */
	listingOut?: string;
	/**
	 * Only the start folder's children named in [from, before) (byName order):
	 * one part of a walk split between threads (see walkInParallel). A part with
	 * `from` leaves out the start folder itself, its entry and its listing.
	 */
	part?: {from?: string; before?: string};
}

interface Walk {
	excluded: Set<string>;
	options: WalkOptions;
	listings?: StateReader;
	out?: StateWriter;
}

/** Sibling order of every walk, state file and manifest: names compared as JS strings. */
export const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Pre-order path order: a folder, then what it holds, siblings by name. Walks,
 * state files and manifests are all in this order, so stages merge them as
 * streams, never holding a tree in memory. Comparing segment by segment is the
 * same as comparing code units with '/' below every other character; this loop
 * does that without splitting (it runs for every path of every stage).
 */
export function comparePaths(a: string, b: string): number {
	const length = Math.min(a.length, b.length);
	for (let i = 0; i < length; i++) {
		const x = a.charCodeAt(i);
		const y = b.charCodeAt(i);
		if (x === y) continue;
		if (x === slash) return -1;
		if (y === slash) return 1;
		return x < y ? -1 : 1;
	}
	return a.length - b.length;
}

const slash = 0x2F;

/**
 * Walks crx-quickstart in pre-order with synchronous calls, holding one folder
 * listing per level. A synchronous generator: the consumer awaits a Yielder
 * between entries (async generators nested a level per folder cost more than
 * the stat of each entry). Symlinked folders are followed and backed up by
 * content (a cluster's shared folder); a link back into its own ancestry is a loop
 * and is reported, never followed. FIFOs, sockets and devices are skipped with a
 * warning: opening a FIFO would hang the backup.
 */
export function* walkSource(root: string, options: WalkOptions): Generator<ScannedEntry> {
	const start = options.only ?? '';
	const startPath = start ? path.join(root, start) : root;
	const startStat = statOrUndefined(startPath);
	const walk: Walk = {
		excluded: new Set(options.skip === undefined ? options.exclude : [...options.exclude, options.skip]), options,
		listings: options.listingIn ? openListings(options.listingIn) : undefined,
		out: options.listingOut ? new StateWriter(options.listingOut) : undefined,
	};
	try {
		if (!startStat?.isDirectory()) return;
		const {from, before} = options.part ?? {};
		if (start && from === undefined) yield entryOf(start, 'dir', startStat);
		const inPart = from === undefined && before === undefined ? undefined
			: (name: string) => (from === undefined || byName(name, from) >= 0) && (before === undefined || byName(name, before) < 0);
		yield* walkDir(walk, startPath, start, startStat, [`${startStat.dev}:${startStat.ino}`], inPart);
	} finally {
		walk.listings?.close();
		walk.out?.close();
	}
}

/**
 * A folder's names: from the earlier walk's listing when the folder's mtime, ctime
 * and inode are as they were then (adding, removing or renaming an entry changes
 * them), else from readdir. Saves one readdir per unchanged folder per stage.
 */
function listNames(walk: Walk, dir: string, rel: string, stat: fs.Stats, record = true): string[] | undefined {
	let earlier: StateRecord | undefined;
	try {
		while (walk.listings?.peek() && comparePaths(walk.listings.peek()!.rel, rel) < 0) walk.listings.next();
		if (walk.listings?.peek()?.rel === rel) earlier = walk.listings.next();
	} catch {
		// A damaged listing (the cache an earlier backup left) is only a hint: read every folder from here on.
		walk.listings?.close();
		walk.listings = undefined;
	}
	let names = earlier && !earlier.racy && earlier.names && earlier.mtimeMs === stat.mtimeMs && earlier.ctimeMs === stat.ctimeMs && earlier.ino === stat.ino
		? earlier.names : undefined;
	if (!names) {
		try {
			names = fs.readdirSync(dir).sort(byName);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // Vanished while we looked: the next stage settles it.
			throw tooLong(error, dir);
		}
	}
	const racy = Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) < racyWindowMs;
	if (record) walk.out?.write({rel, type: 'dir', size: 0, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, crc32: 0, racy, names});
	return names;
}

function* walkDir(walk: Walk, dir: string, rel: string, dirStat: fs.Stats, ancestry: string[], inPart?: (name: string) => boolean): Generator<ScannedEntry> {
	const {options, excluded} = walk;
	// Throw, never just stop: a walk that ends early reads as "the rest is gone from the source",
	// and the mirror deletes what a complete walk would not have reached.
	options.signal?.throwIfAborted();
	const names = listNames(walk, dir, rel, dirStat, options.part?.from === undefined || inPart === undefined);
	if (!names) return;
	for (const name of names) {
		if (inPart && !inPart(name)) continue;
		const childRel = rel ? `${rel}/${name}` : name;
		if (excluded.has(childRel)) continue;
		const full = `${dir}/${name}`; // dir is already joined and name holds no slash: path.join would normalize again per entry
		// stat follows links: a symlinked folder or file is backed up by content.
		const stat = statOrUndefined(full);
		if (!stat) {
			if (name.includes('\uFFFD')) {
				// readdir decoded bytes that are not UTF-8 with a replacement character: that name cannot be opened again.
				options.onWarning?.(`Skipped ${childRel}: its name is not valid UTF-8, which crx-backup cannot copy; rename it or copy it by hand.`);
			} else if (fs.lstatSync(full, {throwIfNoEntry: false})?.isSymbolicLink()) {
				options.onWarning?.(`Skipped ${childRel}: a symbolic link whose target does not exist.`);
			}
			continue; // Otherwise it vanished since readdir.
		}
		if (options.zipNames && name.includes('\\')) {
			options.onWarning?.(`Skipped ${childRel}: a backslash in a name reads as a folder separator to zip tools; use a directory backup to keep it.`);
			continue;
		}
		if (stat.isDirectory()) {
			const id = `${stat.dev}:${stat.ino}`;
			if (ancestry.includes(id)) {
				options.onWarning?.(`Skipped ${childRel}: a symbolic link loop (it points back to a folder above it).`);
				continue;
			}
			yield entryOf(childRel, 'dir', stat);
			yield* walkDir(walk, full, childRel, stat, [...ancestry, id]);
		} else if (stat.isFile()) {
			yield entryOf(childRel, 'file', stat);
		} else {
			options.onWarning?.(`Skipped ${childRel}: a ${describeSpecial(stat)}, which a backup cannot copy.`);
		}
	}
}

/**
 * An entry as a state record (the count's and a walk worker's files). Built
 * property by property: an object spread (`{...entry, crc32: 0}`) cost 5 µs per
 * entry here, as much as the stat behind it.
 */
export function entryRecord(entry: ScannedEntry): StateRecord {
	return {rel: entry.rel, type: entry.type, size: entry.size, mode: entry.mode, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs, ino: entry.ino, crc32: 0, racy: false};
}

/**
 * The entries a count wrote (entriesOut), as a walk: stage 1 goes through the
 * tree as the count found it instead of taking every stat again, which makes the
 * count the start of stage 1 (the seed's stage 2 copies what changed since).
 * Each file is still stat'ed on its open descriptor before it is copied.
 */
export function* replayWalk(file: string, signal?: AbortSignal): Generator<ScannedEntry> {
	const reader = new StateReader(file);
	try {
		for (let record = reader.next(); record; record = reader.next()) {
			signal?.throwIfAborted(); // Not return: see walkDir.
			if (record.type === 'other') continue;
			yield {rel: record.rel, type: record.type, size: record.size, mode: record.mode, mtimeMs: record.mtimeMs, ctimeMs: record.ctimeMs, ino: record.ino};
		}
	} finally {
		reader.close();
	}
}

/** The earlier listings, or none if they cannot be read. */
function openListings(file: string): StateReader | undefined {
	try {
		return new StateReader(file);
	} catch {
		return undefined; // Missing or damaged: every folder is read.
	}
}

function entryOf(rel: string, type: 'file' | 'dir', stat: fs.Stats): ScannedEntry {
	return {rel, type, size: type === 'file' ? stat.size : 0, mode: stat.mode, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino};
}

function statOrUndefined(full: string): fs.Stats | undefined {
	try {
		return fs.statSync(full);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return undefined;
		throw tooLong(error, full);
	}
}

/**
 * A path over the system's limit cannot be read, copied or restored: bad input
 * (exit 2), named in one short sentence. The count meets it before stage 1, so
 * the backup is refused with nothing written.
 */
function tooLong(error: unknown, full: string): unknown {
	if ((error as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') return error;
	return usageError(`The path ${shortPath(full)} is ${Buffer.byteLength(full)} bytes long, more than the system allows: move it higher up, or leave it out with --exclude.`);
}

function describeSpecial(stat: fs.Stats): string {
	if (stat.isFIFO()) return 'named pipe (FIFO)';
	if (stat.isSocket()) return 'socket';
	if (stat.isBlockDevice()) return 'block device';
	if (stat.isCharacterDevice()) return 'character device';
	return 'special file';
}
