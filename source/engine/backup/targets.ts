import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {IN_PROGRESS_MARKER, MANIFEST_NAME, QUICKSTART, STAGING_MARKER} from '../platform/paths.js';
import {currentOwner, isOwnerAlive, readOwner} from '../platform/owner.js';
import {removeTree} from '../walk/remove-tree.js';
import {shortPath, usageError} from '../platform/errors.js';
import {checkPrivatePlace, writePrivateFile} from '../platform/safe-place.js';
import type {BackupTarget} from '../types.js';

/**
 * Where the four stages write. A directory backup writes in place under its
 * backupInProgress.txt; a zip backup writes into a staging folder named after the
 * zip (nightly.zip → nightly.1a2b.temp), zipped into nightly.zip.1a2b.partial and
 * renamed into place at the very end.
 */
export interface WorkArea {
	/** The folder that receives crx-quickstart/ and the manifest. */
	root: string;
	/** Zip only. */
	partialZip?: string;
	/** The manifest of the previous backup in this folder (directory re-sync), moved aside to be read. */
	previousManifest?: string;
	/** Puts a directory target back as it was before prepareDirectory (a backup refused before stage 1 wrote nothing). */
	undo?: () => Promise<void>;
}

export async function prepareDirectory(target: BackupTarget, source: string): Promise<WorkArea> {
	const created = await makeTargetDir(target.path, true);
	try {
		// Again, now that the folder exists: another user may have made it between the check and our mkdir.
		checkPrivatePlace(target.path, 'the target');
	} catch (error) {
		if (created) await fs.promises.rmdir(target.path).catch(() => undefined);
		throw error;
	}
	const marker = path.join(target.path, IN_PROGRESS_MARKER);
	const hadMarker = fs.lstatSync(marker, {throwIfNoEntry: false}) !== undefined;
	// The marker goes first: from now on the folder never looks complete until we remove it.
	writePrivateFile(marker, JSON.stringify(currentOwner({source, target: target.path})) + '\n');
	const manifest = path.join(target.path, MANIFEST_NAME);
	const previous = path.join(target.path, `.${MANIFEST_NAME}.previous`);
	let moved = false;
	try {
		await fs.promises.rename(manifest, previous);
		moved = true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	// The manifest goes back before the marker goes: in between, the folder still reads as incomplete.
	const undo = async () => {
		if (created) return removeTree(target.path);
		if (moved) await fs.promises.rename(previous, manifest);
		if (!hadMarker) await fs.promises.rm(marker, {force: true});
	};
	return {root: target.path, previousManifest: fs.existsSync(previous) ? previous : undefined, undo};
}

/**
 * A directory backup that stopped after copying (cancelled, failed) keeps its
 * marker, so the folder never looks complete, but the marker stops naming a live
 * owner (stoppedAt). Written beside it and renamed over it: never a moment
 * without a marker, and a link planted at the name is replaced, not followed.
 */
export function releaseMarker(root: string): void {
	const marker = path.join(root, IN_PROGRESS_MARKER);
	const temp = `${marker}.${process.pid}.stopped`;
	writePrivateFile(temp, JSON.stringify({...readOwner(marker) ?? currentOwner(), stoppedAt: new Date().toISOString()}) + '\n');
	fs.renameSync(temp, marker);
}

/** Random names tried for a zip's staging folder and .partial file before giving up. */
const NAME_ATTEMPTS = 100;

export async function prepareStaging(target: BackupTarget, source: string): Promise<WorkArea> {
	const dir = path.dirname(target.path); // It exists: resolveTarget refuses a target whose folder does not.
	checkPrivatePlace(dir, `the zip ${path.basename(target.path)}`, {sharedOk: true});
	await removeDeadStaging(target);
	const base = path.basename(target.path).replace(/\.zip$/i, '');
	// Both names are taken here, before stage 1, exclusively (mkdir, O_EXCL): in a shared folder another user may
	// hold either (planted to make our backup fail), which makes the next name a try, never a failure after four stages.
	for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
		const hex = crypto.randomBytes(2).toString('hex');
		const root = path.join(dir, `${base}.${hex}.temp`);
		const partialZip = `${target.path}.${hex}.partial`;
		try {
			await makeTargetDir(root, false);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			throw error;
		}
		try {
			fs.closeSync(fs.openSync(partialZip, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600));
		} catch (error) {
			await fs.promises.rmdir(root);
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
			throw error;
		}
		writePrivateFile(path.join(root, STAGING_MARKER), JSON.stringify(currentOwner({source, target: target.path})) + '\n');
		return {root, partialZip};
	}
	throw usageError(`${NAME_ATTEMPTS} temporary names for ${shortPath(target.path)} were all taken in ${shortPath(dir)} (left there by someone else?): remove them or choose another folder.`);
}

/**
 * Makes one folder, never its parents (resolveTarget checked that they exist):
 * Node's recursive mkdir loops forever where mkdir answers ENOENT under an
 * existing parent (/proc). With `existingOk`, an existing folder is fine (a re-sync).
 * True when it made the folder.
 */
async function makeTargetDir(dir: string, existingOk: boolean): Promise<boolean> {
	try {
		await fs.promises.mkdir(dir, {mode: 0o700});
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST' && existingOk && fs.statSync(dir).isDirectory()) return false;
		if (code === 'ENOENT') throw usageError(`The folder ${dir} cannot be created there: choose a target on an ordinary file system whose folder exists.`);
		throw error;
	}
}

/** Leftovers of an earlier backup to the same zip whose process is dead: its staging folder and partial zip. */
async function removeDeadStaging(target: BackupTarget): Promise<void> {
	const dir = path.dirname(target.path);
	const base = path.basename(target.path).replace(/\.zip$/i, '');
	const pattern = new RegExp(`^${escape(base)}\\.([0-9a-f]{4})\\.temp$`);
	for (const name of await fs.promises.readdir(dir)) {
		const match = pattern.exec(name);
		if (!match) continue;
		const staging = path.join(dir, name);
		if (isOwnerAlive(readOwner(path.join(staging, STAGING_MARKER)))) continue;
		// Only this user's: in a shared folder another user's folder of that name (their own leftover, or an
		// install they named so, with a forged marker) is theirs, never ours to delete.
		if (!isThisUsers(staging)) continue;
		// Ours: it has our marker or a crx-quickstart, or it is empty (killed between its mkdir and its marker).
		const ours = fs.existsSync(path.join(staging, STAGING_MARKER)) || fs.existsSync(path.join(staging, QUICKSTART)) || fs.readdirSync(staging).length === 0;
		if (!ours) continue;
		await removeTree(staging);
		const partial = `${target.path}.${match[1]}.partial`;
		if (isThisUsers(partial)) await fs.promises.rm(partial, {force: true});
	}
}

function isThisUsers(file: string): boolean {
	const uid = process.geteuid?.();
	const stat = fs.lstatSync(file, {throwIfNoEntry: false});
	return stat !== undefined && (uid === undefined || stat.uid === uid);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
