import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {MANIFEST_NAME} from '../platform/paths.js';
import {createPrivateFile, openStateDir, removeDeadTemps} from '../platform/state-dir.js';
import type {BackupKind} from '../types.js';

/**
 * What crx-backup itself wrote, and can prove it wrote: one record a backup in
 * the state folder (private to this user, so nobody else can plant one), made
 * when a backup completes or the operator adopts one, with the backup's identity
 * on disk. A folder with a manifest proves nothing (an unzipped backup, a `cp -a`,
 * a `restic restore` carry one too, and AEM may run in them), nor does a date
 * written inside a file someone else could write; a record whose identity no
 * longer matches what is at its path is not that backup any more.
 */
export interface MadeRecord {
	path: string;
	kind: BackupKind;
	source: string;
	/** When the backup started, by this tool's clock: what retention orders by ("newest"), never a date read from the backup. */
	startedAt: string;
	/** Set when the operator adopted a backup crx-backup did not record itself (`crx-backup adopt`). */
	adoptedAt?: string;
	identity: Identity;
}

/**
 * The file (zip) or folder on disk: device and inode, and what changes when it is rewritten
 * (size, mtime). A directory backup adds its manifest's, the file written last: a copy elsewhere
 * has other inodes, and a re-sync rewrites the record with the new manifest.
 */
export interface Identity {
	dev: number;
	ino: number;
	size?: number;
	mtimeMs?: number;
	manifest?: {dev: number; ino: number; size: number; mtimeMs: number};
}

const MADE_DIR = 'made';

/** The identity of what is at `file` now, not following a link; undefined when it is gone or is neither a zip nor a folder with a manifest. */
export function identityOf(file: string, kind: BackupKind): Identity | undefined {
	const stat = fs.lstatSync(file, {throwIfNoEntry: false});
	if (!stat) return undefined;
	if (kind === 'zip') return stat.isFile() ? {dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs} : undefined;
	if (!stat.isDirectory()) return undefined;
	const manifest = fs.lstatSync(path.join(file, MANIFEST_NAME), {throwIfNoEntry: false});
	if (!manifest?.isFile()) return undefined;
	return {dev: stat.dev, ino: stat.ino, manifest: {dev: manifest.dev, ino: manifest.ino, size: manifest.size, mtimeMs: manifest.mtimeMs}};
}

const sameIdentity = (a: Identity, b: Identity) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A backup's place as its record names it: the real folder holding it (a link in the path
 * resolved, so `--dir /backups` and `--dir /mnt/disk/backups` name one place) and its own name,
 * never followed (the backup itself may be anything now; its identity says).
 */
function placeOf(file: string): string {
	const full = path.resolve(file);
	try {
		return path.join(fs.realpathSync(path.dirname(full)), path.basename(full));
	} catch {
		return full;
	}
}

const recordName = (place: string) => `${crypto.createHash('sha256').update(place).digest('hex').slice(0, 32)}.json`;

/** The records' folder inside the checked state folder, made 0700 when missing; refused (throws) when it is not a plain folder of ours. */
function madeDir(create: boolean): string | undefined {
	const dir = path.join(openStateDir(), MADE_DIR);
	if (create) {
		try {
			fs.mkdirSync(dir, {mode: 0o700});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
	}
	const stat = fs.lstatSync(dir, {throwIfNoEntry: false});
	if (!stat) return undefined;
	if (!stat.isDirectory() || stat.uid !== (process.geteuid?.() ?? stat.uid) || (stat.mode & 0o022) !== 0) {
		throw new Error(`${dir} is not a private folder of this user's`);
	}
	return dir;
}

/** Records a backup this tool just completed (or the operator adopts): written whole to a temporary name, synced, renamed. */
export function recordMade(record: Omit<MadeRecord, 'identity' | 'path'> & {path: string}): void {
	const full = placeOf(record.path);
	const identity = identityOf(full, record.kind);
	if (!identity) throw new Error(`${full} is not there to be recorded`);
	const dir = madeDir(true)!;
	// A backup or adopt killed between writing its record and renaming it left the temporary file.
	removeDeadTemps(dir);
	const file = path.join(dir, recordName(full));
	const {fd, file: temp} = createPrivateFile(file);
	try {
		fs.writeFileSync(fd, `${JSON.stringify({...record, path: full, identity} satisfies MadeRecord)}\n`);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
	fs.renameSync(temp, file);
}

/** Drops the record of a backup that was deleted (a later backup of the same name gets its own). */
export function forgetMade(file: string): void {
	try {
		const dir = madeDir(false);
		if (dir) fs.rmSync(path.join(dir, recordName(placeOf(file))), {force: true});
	} catch {
		// A record that cannot be dropped proves nothing once the identity is gone.
	}
}

export type Proof = {ours: true; made: MadeRecord} | {ours: false; reason: string};

/**
 * Whether crx-backup wrote what is at `file` now: its record exists, names this path, and the
 * identity on disk is the one recorded. Read never through a link, never more than 64 KiB.
 */
export function proveMade(file: string, kind: BackupKind): Proof {
	const full = placeOf(file);
	let record: MadeRecord | undefined;
	try {
		const dir = madeDir(false);
		record = dir ? readRecord(path.join(dir, recordName(full))) : undefined;
	} catch {
		return {ours: false, reason: 'the state folder, where crx-backup records the backups it made, cannot be read'};
	}
	if (!record || record.path !== full) return {ours: false, reason: 'crx-backup has no record of making it (a copy, an unzipped or restored backup, one made by another user or tool)'};
	const now = identityOf(full, kind);
	if (!now || record.kind !== kind || !sameIdentity(now, record.identity)) {
		return {ours: false, reason: 'it is not the one crx-backup recorded at this path (replaced, copied or changed since)'};
	}
	// What this user's crx-backup wrote is this user's. A record outlives a backup removed by hand, and the file
	// system hands its inode to the next file made: another user's file at the same place, with the size and mtime
	// they read from ours and set on theirs, matches every other field. They cannot make a file ours.
	const owner = fs.lstatSync(full, {throwIfNoEntry: false})?.uid;
	if (owner === undefined || owner !== (process.geteuid?.() ?? owner)) {
		return {ours: false, reason: `it belongs to another user (uid ${owner}), not the one who made it`};
	}
	return {ours: true, made: record};
}

function readRecord(file: string): MadeRecord | undefined {
	let fd: number | undefined;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile() || stat.size > 64 * 1024) return undefined;
		const record = JSON.parse(fs.readFileSync(fd, 'utf8')) as MadeRecord;
		return record && typeof record === 'object' && typeof record.path === 'string' && typeof record.startedAt === 'string' && record.identity ? record : undefined;
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
}
