import fs from 'node:fs';
import path from 'node:path';
import {throwIfAborted} from '../platform/errors.js';

export interface WalkItem {
	/** Absolute path. */
	path: string;
	/** Forward-slash path relative to the walk's root. */
	relative: string;
	kind: 'file' | 'dir' | 'symlink' | 'other';
}

/**
 * Walks a tree without following symlinks, yielding each item below `root`
 * (not `root` itself), parents before children. Folders are read through
 * fs.opendir one entry at a time, so memory grows with depth, not with size.
 */
export async function * walkWithoutFollowing(root: string, signal?: AbortSignal): AsyncGenerator<WalkItem> {
	const pending: string[] = [''];
	while (pending.length > 0) {
		const relativeDir = pending.pop()!;
		let dir: fs.Dir;
		try {
			dir = await fs.promises.opendir(path.join(root, relativeDir));
		} catch (error) {
			// A folder removed while we walk (a running backup's target) is not an error for a listing.
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
			throw error;
		}
		for await (const entry of dir) {
			throwIfAborted(signal);
			const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
			const kind = entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
			yield {path: path.join(root, relative), relative, kind};
			if (kind === 'dir') pending.push(relative);
		}
	}
}

/** Total size of the regular files below `root` (symlinks not followed). */
export async function treeBytes(root: string): Promise<number> {
	let bytes = 0;
	for await (const item of walkWithoutFollowing(root)) {
		if (item.kind !== 'file') continue;
		try {
			bytes += (await fs.promises.lstat(item.path)).size;
		} catch {
			// Gone since the folder was read.
		}
	}
	return bytes;
}
