import fs from 'node:fs';
import zlib from 'node:zlib';
import {crcHex} from './zip/reader.js';

/**
 * A file restore creates. Opened with 'wx' (O_CREAT|O_EXCL): it fails on any
 * existing path, a symlink included, so restore never writes through a link.
 * Mode and mtime are set on the open descriptor before closing it, so a
 * read-only mode (0444) does not stop the write.
 */
export interface RestoredFile {
	write(chunk: Buffer): Promise<void>;
	/** CRC-32 (8 hex digits) of everything written so far. */
	crc32(): string;
	/** The first bytes written (up to 2: enough to spot `#!`). */
	head(): Buffer;
	/** `mtime` as a Date, or seconds since the epoch (a manifest's mtimeMs / 1000 keeps its sub-millisecond part). */
	finish(mode: number, mtime: Date | number): Promise<void>;
	/** Closes without finishing (on failure; the caller removes the whole staging folder). */
	abort(): Promise<void>;
}

export async function createRestoredFile(destination: string): Promise<RestoredFile> {
	const handle = await fs.promises.open(destination, 'wx', 0o600);
	let crc = 0;
	let head = Buffer.alloc(0);
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await handle.close();
	};
	return {
		async write(chunk) {
			crc = zlib.crc32(chunk, crc);
			if (head.length < 2) head = Buffer.concat([head, chunk.subarray(0, 2 - head.length)]);
			let offset = 0;
			while (offset < chunk.length) {
				const {bytesWritten} = await handle.write(chunk, offset, chunk.length - offset);
				offset += bytesWritten;
			}
		},
		crc32: () => crcHex(crc),
		head: () => head,
		async finish(mode, mtime) {
			await handle.chmod(mode);
			await handle.utimes(mtime, mtime);
			await close();
		},
		abort: () => close().catch(() => undefined),
	};
}

/** A folder's mode and mtime, applied after its contents are written (a 0555 folder must stay writable until then). */
export interface FolderMode {
	path: string;
	mode: number;
	mtime: Date | number;
}

/** Applies folder modes deepest first, so setting a parent's mtime is not undone by work in a child. */
export async function applyFolderModes(folders: FolderMode[]): Promise<void> {
	const depth = (file: string) => file.split('/').length;
	folders.sort((a, b) => depth(b.path) - depth(a.path));
	for (const folder of folders) {
		await fs.promises.chmod(folder.path, folder.mode);
		await fs.promises.utimes(folder.path, folder.mtime, folder.mtime);
	}
}
