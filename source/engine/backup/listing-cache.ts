import fs from 'node:fs';
import path from 'node:path';
import {lockPath} from './lock.js';
import {createPrivateFile} from '../platform/state-dir.js';
import {copyBytes} from '../walk/state-file.js';
import type {Phase} from '../types.js';

/**
 * The folder listings the last backup of a repository left (stage 4's), kept
 * beside the repository's lock so that the next backup's count reads a folder
 * again only if it changed since: the count of a 38,000-folder tree spent most
 * of its time in readdir. A listing is a hint, never the truth: walkSource uses it
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

/**
 * Keeps stage 4's listing as the next backup's cache: moved (or, from another
 * file system, copied) to a new private name in the state folder, then renamed
 * over the old cache. Nothing follows a link: the copy goes into a file made
 * with O_EXCL | O_NOFOLLOW, the mode is set on the open descriptor, and rename
 * replaces a link rather than writing through it. A cache that cannot be saved
 * costs only speed.
 */
export function saveListingCache(listing: string, file: string): void {
	let temp: string | undefined;
	try {
		temp = moveOrCopy(listing, file);
		fs.renameSync(temp, file);
	} catch {
		if (temp) fs.rmSync(temp, {force: true});
	}
}

const noFollow = fs.constants.O_NOFOLLOW;

function moveOrCopy(listing: string, file: string): string {
	const {fd, file: temp} = createPrivateFile(file);
	try {
		try {
			fs.renameSync(listing, temp); // Same file system: replaces our empty file, and the listing is ours already (0600).
			const moved = fs.openSync(temp, fs.constants.O_RDONLY | noFollow);
			try {
				fs.fchmodSync(moved, 0o600);
			} finally {
				fs.closeSync(moved);
			}
			return temp;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
		}
		copyInto(listing, fd);
		return temp;
	} catch (error) {
		fs.rmSync(temp, {force: true});
		throw error;
	} finally {
		fs.closeSync(fd);
	}
}

function copyInto(from: string, to: number): void {
	const input = fs.openSync(from, fs.constants.O_RDONLY | noFollow);
	try {
		copyBytes(input, to);
	} finally {
		fs.closeSync(input);
	}
}
