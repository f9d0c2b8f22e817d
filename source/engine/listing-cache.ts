import fs from 'node:fs';
import path from 'node:path';
import {lockPath} from './lock.js';
import type {Phase} from './types.js';

/**
 * The folder listings the last backup of a repository left (stage 4's), kept
 * beside the repository's lock so that the next backup's count reads a folder
 * again only if it changed since: the count of a 38,000-folder tree spent most
 * of its time in readdir. A listing is a hint, never the truth: walkTree uses it
 * only while the folder's mtime, ctime and inode are exactly as they were
 * (adding, removing or renaming an entry changes them, and nothing can set a
 * ctime back) and the folder had settled when it was listed. `v1` is the layout
 * of the records (state-file.ts); another layout gets another name.
 */
export function listingCacheFile(quickstart: string, phase: Phase): string {
	return `${lockPath(quickstart).replace(/\.lock$/, '')}.${phase}.v1.listing`;
}

/**
 * The cache file, if it may be trusted as a hint: its folder and itself belong
 * to this user and nobody else can write to them (a listing someone else forged
 * could hide files from the backup).
 */
export function trustedCache(file: string): string | undefined {
	const uid = process.getuid?.();
	const ours = (stat: fs.Stats | undefined) => stat !== undefined && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
	const dir = fs.statSync(path.dirname(file), {throwIfNoEntry: false});
	const own = fs.lstatSync(file, {throwIfNoEntry: false});
	return dir?.isDirectory() && ours(dir) && own?.isFile() && ours(own) ? file : undefined;
}

/** Keeps stage 4's listing as the next backup's cache: written under a temporary name, then renamed. A cache that cannot be saved costs only speed. */
export function saveListingCache(listing: string, file: string): void {
	const temp = `${file}.${process.pid}.tmp`;
	try {
		try {
			fs.renameSync(listing, temp);
		} catch {
			fs.copyFileSync(listing, temp); // Another file system (the lock folder is in /tmp by default).
		}
		fs.chmodSync(temp, 0o600);
		fs.renameSync(temp, file);
	} catch {
		fs.rmSync(temp, {force: true});
	}
}
