import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {currentOwner, isOwnerAlive, readOwner, type OwnerInfo} from '../platform/owner.js';
import {RESTORE_STAGING_MARKER} from '../platform/paths.js';
import {removeTree} from '../walk/remove-tree.js';

/**
 * The restore's staging folder: where extraction writes before one rename puts
 * the result in place (restore.ts). It must be on the file system `to` is on, or
 * that rename fails with EXDEV: inside `to` when it exists (it may be a mount
 * point, such as a fresh volume, whose parent is another file system), beside it
 * when it does not (it will be created in that parent). It carries an owner
 * marker (pid and process start time), so that what a SIGKILL leaves behind can
 * be told from a restore still running: the next restore into the same `to`
 * removes a dead one, and `list` shows it as a leftover.
 */
const INSIDE = /^\.crx-restore\.[0-9a-f]{4}\.restoring$/;
const besidePattern = (to: string) => new RegExp(`^${escape(path.basename(to))}\\.[0-9a-f]{4}\\.restoring$`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Makes the staging folder (0700, a new name: mkdir fails on anything already there) and its marker. */
export async function createStaging(to: string, existed: boolean, backup: string): Promise<string> {
	for (;;) {
		const hex = randomBytes(2).toString('hex');
		const staging = existed ? path.join(to, `.crx-restore.${hex}.restoring`) : path.join(path.dirname(to), `${path.basename(to)}.${hex}.restoring`);
		try {
			await fs.promises.mkdir(staging, {mode: 0o700});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			throw error;
		}
		const flags = fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW;
		const fd = fs.openSync(path.join(staging, RESTORE_STAGING_MARKER), flags, 0o600);
		try {
			fs.writeFileSync(fd, JSON.stringify(currentOwner({source: backup, target: to})) + '\n');
		} finally {
			fs.closeSync(fd);
		}
		return staging;
	}
}

/** Removes the marker before the staging folder's content is moved into place: a restored install carries none. */
export async function dropMarker(staging: string): Promise<void> {
	await fs.promises.rm(path.join(staging, RESTORE_STAGING_MARKER), {force: true});
}

/**
 * The marker's owner if `staging` is really a staging folder this user made for
 * a restore into `to` and its owner is dead; undefined for anything else (a
 * link, someone else's folder, a folder without our marker, a live restore).
 */
export function deadRestoreStaging(staging: string, to?: string): OwnerInfo | undefined {
	const uid = process.geteuid?.();
	const mine = (stat: fs.Stats | undefined) => stat !== undefined && (uid === undefined || stat.uid === uid);
	const folder = fs.lstatSync(staging, {throwIfNoEntry: false});
	if (!folder?.isDirectory() || !mine(folder)) return undefined;
	const marker = path.join(staging, RESTORE_STAGING_MARKER);
	if (!mine(fs.lstatSync(marker, {throwIfNoEntry: false}))) return undefined;
	const owner = readOwner(marker);
	if (!owner || (to !== undefined && owner.target !== to) || isOwnerAlive(owner)) return undefined;
	return owner;
}

/**
 * Removes what earlier restores into `to` left when they were killed: staging
 * folders inside `to` and beside it, each only if deadRestoreStaging says it is
 * ours and dead. Returns one sentence per folder removed, for the caller's warnings.
 */
export async function removeDeadRestoreStaging(to: string): Promise<string[]> {
	const candidates: string[] = [];
	const names = (dir: string) => fs.promises.readdir(dir).catch(() => [] as string[]);
	if (fs.lstatSync(to, {throwIfNoEntry: false})?.isDirectory()) {
		candidates.push(...(await names(to)).filter(name => INSIDE.test(name)).map(name => path.join(to, name)));
	}
	const beside = besidePattern(to);
	candidates.push(...(await names(path.dirname(to))).filter(name => beside.test(name)).map(name => path.join(path.dirname(to), name)));
	const removed: string[] = [];
	for (const staging of candidates) {
		const owner = deadRestoreStaging(staging, to);
		if (!owner) continue;
		await removeTree(staging);
		removed.push(`Removed ${staging}: the staging folder of an earlier restore into ${to} that did not finish (its owner, pid ${owner.pid}, is no longer running).`);
	}
	return removed;
}
