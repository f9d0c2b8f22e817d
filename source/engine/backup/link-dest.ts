import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from '../platform/errors.js';
import {MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {classify, list} from '../catalog/list.js';
import {clockNow} from '../platform/clock.js';
import type {BackupTarget, Repository} from '../types.js';

/**
 * The previous directory backup whose unchanged files a new one hard-links
 * (rsync's --link-dest, rsnapshot). It is untrusted input: it must be a complete
 * crx-backup directory backup on the target's file system, and every file is
 * checked where it really leads when it is linked (see linkPrevious).
 */
export interface LinkDest {
	/** The previous backup's folder, as the file system resolves it (no link in it). */
	root: string;
	/** Its crx-quickstart folder: what stage 1 compares the source with. */
	quickstart: string;
	/** Its manifest: sizes, mtimes, modes and CRCs of what it holds. */
	manifest: string;
	/** The device both backups live on: a hard link cannot cross file systems. */
	dev: number;
	/** Its crx-quickstart folder's inode as checked: the linker opens it again and must find this one. */
	quickstartIno: number;
}

/**
 * Checks PREVIOUS of `--link-dest` against the new target; with `incremental`
 * and no path, picks the newest complete directory backup of this repository
 * beside the target (none: undefined, the first night copies everything).
 */
export async function resolveLinkDest(raw: string | undefined, incremental: boolean, repository: Repository, target: BackupTarget): Promise<LinkDest | undefined> {
	if (raw === undefined && !incremental) return undefined;
	if (target.kind !== 'directory') throw usageError('--link-dest and --incremental make directory backups only: name a target folder, not a .zip.');
	if (holdsAnything(target.path)) {
		throw usageError(`${shortPath(target.path)} already holds something: --link-dest and --incremental make a new backup, so name a new folder.`);
	}
	const chosen = raw === undefined ? await newestDirectoryBackup(repository, target) : path.resolve(raw);
	if (chosen === undefined) return undefined;
	if (path.resolve(chosen) === path.resolve(target.path)) throw usageError(`--link-dest ${shortPath(chosen)} is the target itself: name the previous night's backup.`);
	const record = await classify(chosen, repository).catch(() => undefined);
	// A backup that only looks complete (another user's, dated in the future, over 24 hours) says why.
	if (record?.kind === 'directory' && record.problem) throw usageError(`${shortPath(chosen)} cannot be linked from: ${record.problem}; --link-dest links only complete backups you wrote.`);
	if (!record || record.kind !== 'directory' || record.status !== 'complete' || !record.manifest || record.leftover) {
		throw usageError(`${shortPath(chosen)} is not a complete crx-backup directory backup: --link-dest needs one (a folder with its manifest and no backupInProgress.txt).`);
	}
	const root = fs.realpathSync(chosen);
	const quickstart = path.join(root, QUICKSTART);
	const stat = fs.lstatSync(quickstart);
	if (!stat.isDirectory()) throw usageError(`${shortPath(quickstart)} is not a folder: --link-dest needs a complete directory backup.`);
	if (!writtenByUs(root)) {
		throw usageError(`${shortPath(chosen)} is not a backup of this user's (its folder, crx-quickstart or manifest belongs to someone else, or others may write them): --link-dest links only backups you wrote.`);
	}
	const targetDev = fs.statSync(fs.existsSync(target.path) ? target.path : path.dirname(target.path)).dev;
	if (stat.dev !== targetDev) {
		throw usageError(`${shortPath(chosen)} is on another file system than ${shortPath(target.path)}: hard links cannot cross file systems, so put the new backup beside it.`);
	}
	return {root, quickstart, manifest: path.join(root, MANIFEST_NAME), dev: stat.dev, quickstartIno: stat.ino};
}

/** A target folder that exists and is not empty (a re-sync's is refused: the new backup must start empty). */
function holdsAnything(dir: string): boolean {
	try {
		return fs.readdirSync(dir).length > 0;
	} catch {
		return false; // Not there yet: the backup makes it (or says why it cannot).
	}
}

/**
 * The newest complete directory backup made of this repository in the target's folder (not the target itself),
 * among those this user wrote: another user can plant a "backup" there, dated in the future to be the newest.
 */
async function newestDirectoryBackup(repository: Repository, target: BackupTarget): Promise<string | undefined> {
	const records = await list({dirs: [path.dirname(path.resolve(target.path))], repository});
	const now = clockNow().getTime();
	const notLater = (iso: unknown) => typeof iso === 'string' && Date.parse(iso) <= now;
	const found = records.find(record => record.kind === 'directory' && record.status === 'complete' && !record.leftover
		&& record.manifest?.source === repository.quickstart && path.resolve(record.path) !== path.resolve(target.path)
		&& notLater(record.created) && notLater(record.manifest.startedAt) && notLater(record.manifest.finishedAt) && writtenByUs(record.path));
	return found?.path;
}

/**
 * A backup this user wrote, as far as the file system can say: the folder, its crx-quickstart and its manifest
 * belong to this user (root's to root) and nobody else may write the two folders.
 */
function writtenByUs(dir: string): boolean {
	const uid = process.getuid?.();
	if (uid === undefined) return true;
	const own = (file: string, folder: boolean) => {
		const stat = fs.lstatSync(file, {throwIfNoEntry: false});
		return stat !== undefined && stat.uid === uid && (folder ? stat.isDirectory() && (stat.mode & 0o022) === 0 : stat.isFile());
	};
	return own(dir, true) && own(path.join(dir, QUICKSTART), true) && own(path.join(dir, MANIFEST_NAME), false);
}
