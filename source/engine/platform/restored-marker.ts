import fs from 'node:fs';
import path from 'node:path';
import {toolVersion} from './version.js';

/**
 * The marker `restore` leaves at the top of every folder it restores, beside
 * crx-quickstart: what makes a restored install an install to `list` and
 * `delete`. Before it, a fresh restore (no repository/index yet) looked exactly
 * like a backup and could be deleted as one.
 */
export const RESTORED_MARKER = '.crx-restored';

export interface RestoredInfo {
	format: 'crx-restored';
	/** The backup it was restored from, as `restore` resolved it. */
	backup: string;
	/** ISO 8601. */
	restoredAt: string;
	files: number;
	bytes: number;
	toolVersion: string;
}

/** A marker is a few hundred bytes; anything longer is not ours, and is not read further. */
const MARKER_LIMIT = 16 * 1024;

/**
 * Writes the marker into `folder` (restore's staging folder, before it is
 * renamed into place, so the marker appears with the install). O_EXCL and
 * O_NOFOLLOW: it is only ever a new file of ours.
 */
export async function writeRestoredMarker(folder: string, info: {backup: string; files: number; bytes: number}): Promise<void> {
	const marker: RestoredInfo = {format: 'crx-restored', ...info, restoredAt: new Date().toISOString(), toolVersion};
	const {O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW} = fs.constants;
	const handle = await fs.promises.open(path.join(folder, RESTORED_MARKER), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
	try {
		await handle.writeFile(JSON.stringify(marker) + '\n');
	} finally {
		await handle.close();
	}
}

/**
 * Whether `folder` carries the marker, and what it says. Its presence alone
 * makes the folder an install (whatever it holds, or whoever wrote it: calling a
 * backup an install only keeps `delete` away from it); the fields are shown
 * when they read back as ours.
 */
export async function readRestoredMarker(folder: string): Promise<Partial<RestoredInfo> | undefined> {
	const file = path.join(folder, RESTORED_MARKER);
	const stat = await fs.promises.lstat(file).catch(() => undefined);
	if (!stat) return undefined;
	if (!stat.isFile()) return {};
	try {
		// Non-blocking, and checked on the handle: a FIFO swapped in since the lstat must not hang the listing.
		const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		try {
			if (!(await handle.stat()).isFile()) return {};
			const buffer = Buffer.alloc(MARKER_LIMIT);
			const {bytesRead} = await handle.read(buffer, 0, MARKER_LIMIT, 0);
			const value = JSON.parse(buffer.subarray(0, bytesRead).toString('utf8')) as Record<string, unknown>;
			return {
				...(typeof value.backup === 'string' ? {backup: value.backup} : {}),
				...(typeof value.restoredAt === 'string' && !Number.isNaN(Date.parse(value.restoredAt)) ? {restoredAt: value.restoredAt} : {}),
				...(Number.isSafeInteger(value.bytes) && (value.bytes as number) >= 0 ? {bytes: value.bytes as number} : {}),
			};
		} finally {
			await handle.close();
		}
	} catch {
		return {};
	}
}
