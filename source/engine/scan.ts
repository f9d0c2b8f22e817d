import fs from 'node:fs';
import path from 'node:path';

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

/**
 * Walks crx-quickstart. Symlinked folders are followed and backed up by content
 * (a cluster's shared folder); a link back into its own ancestry is a loop and is
 * reported, never followed. FIFOs, sockets and devices are skipped with a warning:
 * opening a FIFO would hang the backup.
 */
export async function scanTree(root: string, options: ScanOptions): Promise<ScanResult> {
	const result: ScanResult = {entries: [], files: 0, bytes: 0, warnings: []};
	const excluded = new Set(options.exclude);
	const skipped = new Set(options.skip ?? []);
	const start = options.only ?? '';
	const startPath = start ? path.join(root, start) : root;
	let startStat: fs.Stats;
	try {
		startStat = await fs.promises.stat(startPath);
	} catch {
		return result;
	}
	if (!startStat.isDirectory()) return result;
	// A phase's start folder is listed itself; its parents belong to the phase that holds them.
	if (start) result.entries.push(dirEntry(start, startStat));
	await walk(startPath, start, [`${startStat.dev}:${startStat.ino}`], result, excluded, skipped, options.signal);
	return result;
}

function dirEntry(rel: string, stat: fs.Stats): ScannedEntry {
	return {rel, type: 'dir', size: 0, mode: stat.mode, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino};
}

async function walk(
	dir: string,
	rel: string,
	ancestry: string[],
	result: ScanResult,
	excluded: Set<string>,
	skipped: Set<string>,
	signal: AbortSignal | undefined,
): Promise<void> {
	if (signal?.aborted) return;
	let names: fs.Dirent[];
	try {
		names = await fs.promises.readdir(dir, {withFileTypes: true});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return; // Vanished while we looked: the next stage settles it.
		throw error;
	}
	names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const stats = await Promise.all(names.map(async dirent => statEntry(dir, dirent)));
	for (const [index, dirent] of names.entries()) {
		const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
		if (excluded.has(childRel) || skipped.has(childRel)) continue;
		const stat = stats[index];
		const full = path.join(dir, dirent.name);
		if (stat === 'vanished') continue;
		if (stat === 'dangling') {
			result.warnings.push(`Skipped ${childRel}: a symbolic link whose target does not exist.`);
			continue;
		}
		if (stat.isDirectory()) {
			const id = `${stat.dev}:${stat.ino}`;
			if (ancestry.includes(id)) {
				result.warnings.push(`Skipped ${childRel}: a symbolic link loop (it points back to a folder above it).`);
				continue;
			}
			result.entries.push(dirEntry(childRel, stat));
			await walk(full, childRel, [...ancestry, id], result, excluded, skipped, signal);
		} else if (stat.isFile()) {
			result.entries.push({rel: childRel, type: 'file', size: stat.size, mode: stat.mode, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino});
			result.files++;
			result.bytes += stat.size;
		} else {
			result.warnings.push(`Skipped ${childRel}: a ${describeSpecial(stat)}, which a backup cannot copy.`);
		}
	}
}

async function statEntry(dir: string, dirent: fs.Dirent): Promise<fs.Stats | 'vanished' | 'dangling'> {
	const full = path.join(dir, dirent.name);
	try {
		// stat follows links: a symlinked folder or file is backed up by content.
		return await fs.promises.stat(full);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && dirent.isSymbolicLink()) return 'dangling';
		if (code === 'ELOOP') return 'dangling';
		if (code === 'ENOENT') return 'vanished';
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
