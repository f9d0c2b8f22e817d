import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** The state of a source file as it was captured: the stat taken before it was read, and what was written. */
export interface Captured {
	size: number;
	mtimeMs: number;
	ctimeMs: number;
	ino: number;
	/** Full st_mode of the source (the manifest and zip keep it; the copy holds owner bits only). */
	mode: number;
	crc32: number;
	/** Changed so shortly before it was read that a later write could leave size and times as they were: copy again next stage. */
	racy: boolean;
}

/** Timestamps on some file systems are coarse (a jiffy, or a second on ext3): treat changes this recent as not settled. */
const racyWindowMs = 2000;
const chunkSize = 1024 * 1024;
const bufferPool: Buffer[] = [];

/** Copies with owner bits only: a repository holds keys and passwords. */
export const privateMode = (mode: number) => mode & 0o700;

/**
 * Copies one file: the stat is taken on the open descriptor before the first read
 * (so it describes what we then read), the bytes go to a temp name beside the
 * destination and are renamed into place, so a destination is never half-written.
 * Returns undefined when the source vanished or stopped being a regular file:
 * the next stage settles it.
 */
export async function copyFile(
	source: string,
	destination: string,
	onBytes: (bytes: number) => Promise<void> | void,
): Promise<Captured | undefined> {
	let input: fs.promises.FileHandle;
	try {
		input = await fs.promises.open(source, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch (error) {
		if (isGone(error)) return undefined;
		throw error;
	}
	const temp = path.join(path.dirname(destination), `.${path.basename(destination).slice(0, 80)}.${crypto.randomBytes(3).toString('hex')}.crxtmp`);
	let output: fs.promises.FileHandle | undefined;
	try {
		const stat = await input.stat();
		if (!stat.isFile()) return undefined;
		const statAt = Date.now();
		output = await fs.promises.open(temp, 'wx', privateMode(stat.mode));
		const buffer = bufferPool.pop() ?? Buffer.allocUnsafe(chunkSize);
		let crc = 0;
		try {
			for (;;) {
				const {bytesRead} = await input.read(buffer, 0, chunkSize, null);
				if (bytesRead === 0) break;
				const chunk = buffer.subarray(0, bytesRead);
				crc = zlib.crc32(chunk, crc);
				await output.write(chunk, 0, bytesRead);
				await onBytes(bytesRead);
			}
		} finally {
			bufferPool.push(buffer);
		}
		await output.utimes(stat.atimeMs / 1000, stat.mtimeMs / 1000); // Seconds as a fraction keep sub-millisecond times.
		await output.close();
		output = undefined;
		await fs.promises.rename(temp, destination);
		return captured(stat, crc, statAt);
	} catch (error) {
		await output?.close().catch(() => undefined);
		await fs.promises.rm(temp, {force: true}).catch(() => undefined);
		if (isGone(error)) return undefined;
		throw error;
	} finally {
		await input.close();
	}
}

function captured(stat: fs.Stats, crc: number, statAt: number): Captured {
	const racy = statAt - stat.mtimeMs < racyWindowMs || statAt - stat.ctimeMs < racyWindowMs;
	return {size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, crc32: crc >>> 0, racy};
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
