import fs from 'node:fs';
import path from 'node:path';
import {failure, usageError} from '../../errors.js';
import {isInsideOrEqual} from '../../paths.js';
import {isAlive} from './aem-process.js';
import {toolEnv} from '../../child-env.js';
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
	return {subvolume, place, relative: path.relative(subvolume, quickstart)};
}

/** Only a real subvolume (not a link, not a plain folder) named like ours is ever deleted. */
async function deleteSubvolume(snapshot: string): Promise<boolean> {
	const stat = fs.lstatSync(snapshot, {throwIfNoEntry: false});
	if (!stat) return true;
	if (!stat.isDirectory() || stat.ino !== SUBVOLUME_ROOT_INO) return false;
	return (await runCommand('btrfs', ['subvolume', 'delete', snapshot], {env: toolEnv(), timeoutMs: btrfsTimeoutMs, what: 'btrfs subvolume delete'})).ok;
}

/** Deletes the snapshots that killed runs left in `place` (their process is gone); returns the ones it could not. */
export async function deleteLeftoverSnapshots(place: string): Promise<string[]> {
	const failed: string[] = [];
	for (const name of fs.readdirSync(place)) {
		const pid = SNAPSHOT_NAME.exec(name)?.[1];
		if (!pid || Number(pid) === process.pid || isAlive(Number(pid))) continue;
		if (!(await deleteSubvolume(path.join(place, name)))) failed.push(path.join(place, name));
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
	const snapshot = path.join(where.place, `.crx-backup-snapshot-${process.pid}`);
	await deleteSubvolume(snapshot); // Ours from an earlier backup in this process, which cannot happen unless it failed to release.
	const result = await runCommand('btrfs', ['subvolume', 'snapshot', '-r', where.subvolume, snapshot], {env: toolEnv(), timeoutMs: btrfsTimeoutMs, what: 'btrfs snapshot'});
	if (!result.ok) {
		await deleteSubvolume(snapshot);
		throw failure(`${result.reason} The backup was aborted.`);
	}
	return {path: snapshot, quickstart: path.join(snapshot, where.relative), release: () => deleteSubvolume(snapshot)};
}
