import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {threadId} from 'node:worker_threads';
import type {StateRecord} from './state-file.js';
import {racyWindowMs} from './settled.js';

/** The state of a source file as it was captured: the stat taken before it was read, and what was written. */
export type Captured = Omit<StateRecord, 'rel' | 'type' | 'quick' | 'names'> & {
	/** The copy's own inode (what a later --link-dest may prove it wrote: see WrittenInodes); none when only read. */
	targetIno?: number;
};

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
 * datastore blobs, zipped later straight from the source: see zip-step.ts). The
 * stat is taken on the open descriptor before the first read, so it describes
 * what is then read. A new destination is created exclusively; an existing one
 * is replaced by rename from a temp name (never rewritten in place, never written
 * through a link). Returns undefined when the source vanished or stopped being a
 * regular file: the next stage settles it.
 */
export async function copyFile(source: string, destination: string | undefined, hooks: CopyHooks, exists: boolean): Promise<Captured | undefined> {
	const steps = captureSteps(source, destination, exists);
	try {
		for (let step = steps.next(); ; step = steps.next()) {
			if (step.done) return step.value;
			await hooks.onChunk(step.value);
		}
	} finally {
		steps.return(undefined); // A hook that threw (a cancel): the half-written copy goes.
	}
}

/** copyFile with no hooks, for a thread that has nothing else to do between chunks (see captureBatch). */
function captureFileSync(source: string, destination: string | undefined, exists: boolean): Captured | undefined {
	const steps = captureSteps(source, destination, exists);
	for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** One small file to capture, as plain data that crosses threads (see CaptureQueue). */
export interface CaptureItem {
	source: string;
	destination?: string;
	exists: boolean;
}

/** Captures each item in turn; null where the source vanished. Throws the first real error (the stage fails). */
export function captureBatch(items: CaptureItem[]): Array<Captured | null> {
	return items.map(item => captureFileSync(item.source, item.destination, item.exists) ?? null);
}

/**
 * The copy, one chunk a step (each step yields the chunk's size), so that the
 * async copy can wait between chunks and the synchronous one need not. Whatever
 * ends it early (an error, a consumer that stops: a cancel) removes the copy it
 * created or the temp file, and closes both descriptors.
 */
function* captureSteps(source: string, destination: string | undefined, exists: boolean): Generator<number, Captured | undefined, void> {
	let input: number;
	try {
		// O_NONBLOCK: a file that became a FIFO since the scan must not hang the open.
		input = fs.openSync(source, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch (error) {
		if (isGone(error)) return undefined;
		throw error;
	}
	// The thread is in the name: the helper thread copies too, with its own counter.
	const temp = destination === undefined ? undefined : exists ? path.join(path.dirname(destination), `.${path.basename(destination).slice(0, 100)}.${process.pid}-${threadId}-${++tempCounter}.crxtmp`) : destination;
	let output: number | undefined;
	let finished = false;
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
				finished = true;
				return yield* captureSteps(source, destination, true);
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
			yield bytesRead;
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
		finished = true;
		const racy = copied !== stat.size || statAt - stat.mtimeMs < racyWindowMs || statAt - stat.ctimeMs < racyWindowMs;
		return {size: copied, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, crc32: crc >>> 0, racy, targetIno};
	} catch (error) {
		if (isGone(error)) return undefined;
		throw error;
	} finally {
		if (!finished) {
			if (output !== undefined) fs.closeSync(output);
			// Our own temp file, or the new copy we created (output was open): never a file that was already there.
			if (temp !== undefined && (output !== undefined || temp !== destination)) fs.rmSync(temp, {force: true});
		}
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
