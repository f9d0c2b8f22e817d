import fs from 'node:fs';
import path from 'node:path';
import {Yielder} from './yielder.js';

/** A file or folder of the source tree as one scan found it. `rel` uses '/' and is relative to crx-quickstart. */
export interface ScannedEntry {
	rel: string;
	type: 'file' | 'dir';
	size: number;
	mode: number;
	mtimeMs: number;
	ctimeMs: number;
	ino: number;
}

export interface ScanResult {
	/** Pre-order: a folder always comes before what it holds. */
	entries: ScannedEntry[];
	files: number;
	bytes: number;
	/** Special files, dangling links and symlink loops that were skipped, one sentence each. */
	warnings: string[];
}

export interface ScanOptions {
	/** Sub-trees (relative, '/') to leave out. */
	exclude: string[];
	/** Only this sub-tree, or everything but the ones in `skip`. */
	only?: string;
	skip?: string[];
	signal?: AbortSignal;
}

interface Walk {
	result: ScanResult;
	excluded: Set<string>;
	yielder: Yielder;
	signal?: AbortSignal;
}

/**
 * Walks crx-quickstart with synchronous calls (see Yielder). Symlinked folders are
 * followed and backed up by content (a cluster's shared folder); a link back into
 * its own ancestry is a loop and is reported, never followed. FIFOs, sockets and
 * devices are skipped with a warning: opening a FIFO would hang the backup.
 */
export async function scanTree(root: string, options: ScanOptions): Promise<ScanResult> {
	const result: ScanResult = {entries: [], files: 0, bytes: 0, warnings: []};
	const start = options.only ?? '';
	const startPath = start ? path.join(root, start) : root;
	const startStat = statOrUndefined(startPath);
	if (!startStat?.isDirectory()) return result;
	// A phase's start folder is listed itself; its parents belong to the phase that holds them.
	if (start) result.entries.push(entryOf(start, 'dir', startStat));
	const walk: Walk = {result, excluded: new Set([...options.exclude, ...(options.skip ?? [])]), yielder: new Yielder(), signal: options.signal};
	await walkDir(walk, startPath, start, [`${startStat.dev}:${startStat.ino}`]);
	return result;
}

function entryOf(rel: string, type: 'file' | 'dir', stat: fs.Stats): ScannedEntry {
	return {rel, type, size: type === 'file' ? stat.size : 0, mode: stat.mode, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino};
}

async function walkDir(walk: Walk, dir: string, rel: string, ancestry: string[]): Promise<void> {
	if (walk.signal?.aborted) return;
	await walk.yielder.maybe();
	let dirents: fs.Dirent[];
	try {
		dirents = fs.readdirSync(dir, {withFileTypes: true});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return; // Vanished while we looked: the next stage settles it.
		throw error;
	}
	dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const {result, excluded} = walk;
	for (const dirent of dirents) {
		const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
		if (excluded.has(childRel)) continue;
		const full = path.join(dir, dirent.name);
		// stat follows links: a symlinked folder or file is backed up by content.
		const stat = statOrUndefined(full);
		if (!stat) {
			if (dirent.isSymbolicLink()) result.warnings.push(`Skipped ${childRel}: a symbolic link whose target does not exist.`);
			continue; // Otherwise it vanished since readdir.
		}
		if (stat.isDirectory()) {
			const id = `${stat.dev}:${stat.ino}`;
			if (ancestry.includes(id)) {
				result.warnings.push(`Skipped ${childRel}: a symbolic link loop (it points back to a folder above it).`);
				continue;
			}
			result.entries.push(entryOf(childRel, 'dir', stat));
			await walkDir(walk, full, childRel, [...ancestry, id]);
		} else if (stat.isFile()) {
			result.entries.push(entryOf(childRel, 'file', stat));
			result.files++;
			result.bytes += stat.size;
		} else {
			result.warnings.push(`Skipped ${childRel}: a ${describeSpecial(stat)}, which a backup cannot copy.`);
		}
	}
}

function statOrUndefined(full: string): fs.Stats | undefined {
	try {
		return fs.statSync(full);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return undefined;
		throw error;
	}
}

function describeSpecial(stat: fs.Stats): string {
	if (stat.isFIFO()) return 'named pipe (FIFO)';
	if (stat.isSocket()) return 'socket';
	if (stat.isBlockDevice()) return 'block device';
	if (stat.isCharacterDevice()) return 'character device';
	return 'special file';
}
