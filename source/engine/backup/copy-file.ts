import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type {StateRecord} from '../walk/state-file.js';

/** The state of a source file as it was captured: the stat taken before it was read, and what was written. */
export type Captured = Omit<StateRecord, 'rel' | 'type' | 'quick' | 'names'> & {
	/** The copy's own inode (what a later --link-dest may prove it wrote: see WrittenInodes); none when only read. */
	targetIno?: number;
};

export {racyWindowMs} from '../walk/settled.js';
import {racyWindowMs} from '../walk/settled.js';
const chunkSize = 1024 * 1024;
const buffer = Buffer.allocUnsafeSlow(chunkSize);
let tempCounter = 0;

/** Copies with owner bits only: a repository holds keys and passwords. */
export const privateMode = (mode: number) => mode & 0o700;

export interface CopyHooks {
	/** Called after each chunk with its size; may wait (the delay) or yield to the event loop. */
	onChunk(bytes: number): Promise<void> | void;
}

/**
 * Copies one file with synchronous calls (see Yielder), computing its CRC-32 on
 * the way; with no destination it only reads and checksums it (a zip backup's
 * datastore blobs, zipped later straight from the source: see zip-step.ts). The stat is taken on the open descriptor before the first read, so it
 * describes what is then read. A new destination is created exclusively; an
 * existing one is replaced by rename from a temp name (never rewritten in place,
 * never written through a link). Returns undefined when the source vanished or
 * stopped being a regular file: the next stage settles it.
 */
export async function copyFile(source: string, destination: string | undefined, hooks: CopyHooks, exists: boolean): Promise<Captured | undefined> {
	let input: number;
	try {
		// O_NONBLOCK: a file that became a FIFO since the scan must not hang the open.
		input = fs.openSync(source, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch (error) {
		if (isGone(error)) return undefined;
		throw error;
	}
	const temp = destination === undefined ? undefined : exists ? path.join(path.dirname(destination), `.${path.basename(destination).slice(0, 100)}.${process.pid}-${++tempCounter}.crxtmp`) : destination;
	let output: number | undefined;
	try {
		const stat = fs.fstatSync(input);
		if (!stat.isFile()) return undefined;
		const statAt = Date.now();
		try {
			if (temp !== undefined) output = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, privateMode(stat.mode));
		} catch (error) {
			// Something is there after all (a leftover, a link): replace it by rename instead.
			if ((error as NodeJS.ErrnoException).code === 'EEXIST' && temp === destination) {
				fs.closeSync(input);
				input = -1;
				return await copyFile(source, destination, hooks, true);
			}
			throw error;
		}
		// Read what the stat promised and no more: a file that grows meanwhile no longer matches its
		// record (size, times) and is copied again by the next stage; the copy stays what the record says.
		let crc = 0;
		let copied = 0;
		while (copied < stat.size) {
			const bytesRead = fs.readSync(input, buffer, 0, Math.min(chunkSize, stat.size - copied), null);
			if (bytesRead === 0) break; // Truncated while we read: recorded as racy below.
			const chunk = buffer.subarray(0, bytesRead);
			crc = zlib.crc32(chunk, crc);
			if (output !== undefined) writeAll(output, chunk);
			copied += bytesRead;
			await hooks.onChunk(bytesRead);
		}
		let targetIno: number | undefined;
		if (output !== undefined) {
			// Seconds as a fraction keep sub-millisecond times.
			fs.futimesSync(output, stat.atimeMs / 1000, stat.mtimeMs / 1000);
			targetIno = fs.fstatSync(output).ino;
			fs.closeSync(output);
			output = undefined;
			if (temp !== destination) fs.renameSync(temp!, destination!);
		}
		const racy = copied !== stat.size || statAt - stat.mtimeMs < racyWindowMs || statAt - stat.ctimeMs < racyWindowMs;
		return {size: copied, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, crc32: crc >>> 0, racy, targetIno};
	} catch (error) {
		if (output !== undefined) fs.closeSync(output);
		if (temp !== undefined && (output !== undefined || temp !== destination)) fs.rmSync(temp, {force: true});
		if (isGone(error)) return undefined;
		throw error;
	} finally {
		if (input >= 0) fs.closeSync(input);
	}
}

function writeAll(fd: number, data: Buffer): void {
	let done = 0;
	while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
}

/** True when the captured state still describes the file: size, mtime, ctime and inode unchanged, and not racy. */
export function stillCaptured(previous: Captured | undefined, stat: {size: number; mtimeMs: number; ctimeMs: number; ino: number}): boolean {
	return previous !== undefined && !previous.racy && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs
		&& previous.ctimeMs === stat.ctimeMs && previous.ino === stat.ino;
}

export function isGone(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException)?.code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}
