import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {crcHex} from '../zip/reader.js';

/**
 * A file restore creates, written with synchronous calls (a thread-pool hand-off
 * per write cost more than the write: see Yielder). Opened with O_CREAT|O_EXCL:
 * it fails on any existing path, a symlink included, so restore never writes
 * through a link. Mode and mtime are set on the open descriptor before closing
 * it, so a read-only mode (0444) does not stop the write.
 */
export interface RestoredFile {
	write(chunk: Buffer): void;
	/** CRC-32 (8 hex digits) of everything written so far. */
	crc32(): string;
	/** The first bytes written (up to 2: enough to spot `#!`). */
	head(): Buffer;
	/** `mtime` as a Date, or seconds since the epoch (a manifest's mtimeMs / 1000 keeps its sub-millisecond part). */
	finish(mode: number, mtime: Date | number): void;
	/** Closes without finishing (on failure; the caller removes the whole staging folder). */
	abort(): void;
}

/** A link restore makes: where, and what it points at (as stored, never followed). */
export interface RestoredLink {
	path: string;
	target: string;
}

/**
 * Makes a restore's links, after every file and folder. The caller's contract:
 * each parent is a real folder restore made in its own staging folder (0700), and
 * the backup's tree refused entries below a link, so nothing is written through one.
 */
export async function makeLinks(links: RestoredLink[], dirMode: number): Promise<void> {
	for (const link of links) {
		await fs.promises.mkdir(path.dirname(link.path), {recursive: true, mode: dirMode});
		await fs.promises.symlink(link.target, link.path);
	}
}

export function createRestoredFile(destination: string): RestoredFile {
	const fd = fs.openSync(destination, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
	let crc = 0;
	let head = Buffer.alloc(0);
	let closed = false;
	const close = () => {
		if (closed) return;
		closed = true;
		fs.closeSync(fd);
	};
	return {
		write(chunk) {
			crc = zlib.crc32(chunk, crc);
			if (head.length < 2) head = Buffer.concat([head, chunk.subarray(0, 2 - head.length)]);
			let offset = 0;
			while (offset < chunk.length) offset += fs.writeSync(fd, chunk, offset, chunk.length - offset);
		},
		crc32: () => crcHex(crc),
		head: () => head,
		finish(mode, mtime) {
			fs.fchmodSync(fd, mode);
			fs.futimesSync(fd, mtime, mtime);
			close();
		},
		abort() {
			try {
				close();
			} catch {}
		},
	};
}

/**
 * mkdir -p with synchronous calls, remembering the last folder made: entries
 * come in path order, so most files land in the folder the previous one did.
 */
export class FolderMaker {
	private last = '';

	constructor(private readonly mode: number) {}

	make(dir: string): void {
		if (dir === this.last) return;
		fs.mkdirSync(dir, {recursive: true, mode: this.mode});
		this.last = dir;
	}
}
