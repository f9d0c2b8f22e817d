import fs from 'node:fs';
import path from 'node:path';
import {failure, usageError} from '../../platform/errors.js';
import {isInsideOrEqual} from '../../platform/paths.js';
import {checkPrivatePlace} from '../../platform/safe-place.js';
import {isAlive} from './aem-process.js';
import {toolEnv} from '../../platform/child-env.js';
import {runCommand} from './run-command.js';

/** statfs(2)'s f_type for btrfs. */
const BTRFS_MAGIC = 0x9123683e;
/** Every btrfs subvolume's root folder has this inode number (BTRFS_FIRST_FREE_OBJECTID), and no other folder has. */
const SUBVOLUME_ROOT_INO = 256;
/** A snapshot's name says who made it and which process: the next run deletes those whose process is gone. */
const SNAPSHOT_NAME = /^\.crx-backup-snapshot-(\d+)$/;
const btrfsTimeoutMs = 120_000;

export interface BtrfsPlace {
	/** The subvolume that holds crx-quickstart. */
	subvolume: string;
	/** The folder the snapshot goes into: beside the subvolume, or inside it when the subvolume is a mount point. */
	place: string;
	/** crx-quickstart relative to the subvolume: where it is inside the snapshot. */
	relative: string;
}

const isBtrfs = (p: string) => {
	try {
		return fs.statfsSync(p).type === BTRFS_MAGIC;
	} catch {
		return false;
	}
};

/** The mount points of this process's mount namespace (mountinfo's fifth field, octal escapes undone). */
function mountPoints(): Set<string> {
	try {
		const lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
		return new Set(lines.filter(Boolean).map(line => line.split(' ')[4]!.replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))));
	} catch {
		return new Set();
	}
}

/**
 * Where a btrfs snapshot of the repository can be made, or undefined when the
 * repository is not on btrfs (or the btrfs tool is missing). The subvolume is
 * the nearest folder up from crx-quickstart whose inode is 256 (what `btrfs
 * subvolume show` would name). A snapshot never goes inside crx-quickstart:
 * nothing is ever written into the source.
 */
export async function findBtrfsPlace(quickstart: string): Promise<BtrfsPlace | undefined> {
	if (!isBtrfs(quickstart)) return undefined;
	let subvolume = quickstart;
	while (fs.statSync(subvolume).ino !== SUBVOLUME_ROOT_INO) {
		const parent = path.dirname(subvolume);
		if (parent === subvolume || !isBtrfs(parent)) return undefined;
		subvolume = parent;
	}
	const tool = await runCommand('btrfs', ['--version'], {env: toolEnv(), timeoutMs: 10_000, what: 'btrfs tool'});
	if (!tool.ok) return undefined;
	// A mount point's parent may be another file system: the snapshot then goes inside the subvolume.
	const place = mountPoints().has(subvolume) ? subvolume : path.dirname(subvolume);
	if (isInsideOrEqual(quickstart, place)) {
		throw usageError(`The btrfs subvolume ${subvolume} is crx-quickstart itself and a mount point: a snapshot would have to go inside the repository; use --snapshot-cmd.`);
	}
	checkPlace(place);
	return {subvolume, place, relative: path.relative(subvolume, quickstart)};
}

/**
 * The snapshot folder must be nobody else's to write: whoever can write it can
 * swap `.crx-backup-snapshot-<pid>` for a link between our check and btrfs, and
 * root's `btrfs subvolume delete` would delete where the link leads. Whoever can
 * write a folder above it (not sticky) can swap the snapshot folder itself, so
 * those are checked as every place we write is.
 */
function checkPlace(place: string): void {
	if (!fs.existsSync(place)) return;
	checkPrivatePlace(path.dirname(place), 'the btrfs snapshot', {sharedOk: true});
	fs.closeSync(openPlace(place));
}

/**
 * Opens `place` as a folder, for names to be opened relative to it (/proc/self/fd/N/<name>, an openat),
 * and checks owner and mode on the handle: what is checked is what the names are opened in.
 */
function openPlace(place: string): number {
	const fd = fs.openSync(place, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
	const stat = fs.fstatSync(fd);
	const owner = stat.uid === 0 || stat.uid === process.geteuid?.();
	if (!owner || (stat.mode & 0o022) !== 0) {
		fs.closeSync(fd);
		throw usageError(`The btrfs snapshot would go into ${place}, which ${owner ? 'other users can write' : 'belongs to another user'}: someone could swap the snapshot for a link there; make it writable by its owner only, or use --snapshot-cmd.`);
	}
	return fd;
}

/** The btrfs subvolume id of the folder open as `fd` (asked of that open folder, not of a path). */
async function subvolumeId(fd: number): Promise<string | undefined> {
	const result = await runCommand('btrfs', ['inspect-internal', 'rootid', '/proc/self/fd/3'], {env: toolEnv(), timeoutMs: btrfsTimeoutMs, what: 'btrfs inspect-internal rootid', fds: [fd]});
	const id = result.stdout.trim();
	return result.ok && /^\d+$/.test(id) ? id : undefined;
}

/**
 * The id of `name` in the open folder `placeFd` when it is a subvolume's root
 * folder itself (opened without following a link: inode 256); undefined when it
 * is not; null when it is not there at all.
 */
async function subvolumeIn(placeFd: number, name: string): Promise<string | undefined | null> {
	let fd: number;
	try {
		fd = fs.openSync(`/proc/self/fd/${placeFd}/${name}`, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
	}
	try {
		return fs.fstatSync(fd).ino === SUBVOLUME_ROOT_INO ? await subvolumeId(fd) : undefined;
	} finally {
		fs.closeSync(fd);
	}
}

/** Deletes the subvolume with this id: by id, so no name swapped meanwhile can redirect it. */
async function deleteById(placeFd: number, id: string): Promise<boolean> {
	return (await runCommand('btrfs', ['subvolume', 'delete', '--subvolid', id, '/proc/self/fd/3'], {env: toolEnv(), timeoutMs: btrfsTimeoutMs, what: 'btrfs subvolume delete', fds: [placeFd]})).ok;
}

/** Deletes `name` in `place` when it is a real subvolume (not a link, not a plain folder); true when it is gone. */
async function deleteSubvolume(place: string, name: string): Promise<boolean> {
	const placeFd = openPlace(place);
	try {
		const id = await subvolumeIn(placeFd, name);
		if (id === null) return true;
		return id !== undefined && deleteById(placeFd, id);
	} finally {
		fs.closeSync(placeFd);
	}
}

/** Deletes the snapshots that killed runs left in `place` (their process is gone); returns the ones it could not. */
export async function deleteLeftoverSnapshots(place: string): Promise<string[]> {
	checkPlace(place);
	const failed: string[] = [];
	for (const name of fs.readdirSync(place)) {
		const pid = SNAPSHOT_NAME.exec(name)?.[1];
		if (!pid || Number(pid) === process.pid || isAlive(Number(pid))) continue;
		if (!(await deleteSubvolume(place, name))) failed.push(path.join(place, name));
	}
	return failed;
}

export interface BtrfsSnapshot {
	path: string;
	/** crx-quickstart inside the snapshot. */
	quickstart: string;
	release(): Promise<boolean>;
}

/** `btrfs subvolume snapshot -r`: read-only, so nothing can change what the backup copies. */
export async function createBtrfsSnapshot(where: BtrfsPlace): Promise<BtrfsSnapshot> {
	checkPlace(where.place);
	const name = `.crx-backup-snapshot-${process.pid}`;
	const snapshot = path.join(where.place, name);
	await deleteSubvolume(where.place, name); // Ours from an earlier backup in this process, which cannot happen unless it failed to release.
	const result = await runCommand('btrfs', ['subvolume', 'snapshot', '-r', where.subvolume, snapshot], {env: toolEnv(), timeoutMs: btrfsTimeoutMs, what: 'btrfs snapshot'});
	if (!result.ok) {
		await deleteSubvolume(where.place, name);
		throw failure(`${result.reason} The backup was aborted.`);
	}
	// Its id now, from the folder just made: the release deletes that subvolume and no other.
	const placeFd = openPlace(where.place);
	let id: string | null | undefined;
	try {
		id = await subvolumeIn(placeFd, name);
	} finally {
		fs.closeSync(placeFd);
	}
	const release = async () => {
		if (!id) return false;
		const fd = openPlace(where.place);
		try {
			return await deleteById(fd, id);
		} finally {
			fs.closeSync(fd);
		}
	};
	return {path: snapshot, quickstart: path.join(snapshot, where.relative), release};
}
