/**
 * Where an entry's bytes come from: a file read piece by piece with positional
 * reads into pooled buffers, or a Buffer the caller holds. Both take their memory
 * from the piece pool first, which is where add() waits when the pipeline is full.
 */
import fs from 'node:fs';
import {failure} from '../platform/errors.js';
import type {PiecePool} from './piece-pool.js';
import type {Slot} from './types.js';

export interface PieceSource {
	/** Takes memory for a piece of `length` bytes; this is the backpressure point. */
	take(length: number): Promise<Slot>;
	/** The piece's bytes; rejects, naming the file, when the file is not the size declared. */
	fill(slot: Slot, offset: number, length: number, last: boolean): Promise<Buffer>;
	/** Up to `length` bytes at `offset`, for the compressibility probe. */
	sample(offset: number, length: number): Promise<Buffer>;
	close(): Promise<void>;
	/** Called with the CRC-32 of all the data once it is read; throws when the source promised another. */
	verify(crc: number): void;
}

export interface FileExpectation {
	/** The CRC-32 the file had when it was read before. */
	crc32?: number;
	/** A live file rather than a static copy: opened non-blocking (a FIFO must not hang), and a vanished one is reported as such. */
	live?: boolean;
}

function sizeChanged(path: string, declared: number, found: string): Error {
	return failure(`${path} changed size while it was zipped (${declared} bytes expected, ${found}): make the backup again.`);
}

export function fileSource(path: string, declaredSize: number, pool: PiecePool, expect: FileExpectation = {}): PieceSource {
	// Synchronous calls: a FileHandle costs far more to create and hand to the thread pool than the
	// open and read themselves (measured: 28 % of a 57,000-entry zip went to openFileHandle alone).
	let fd: number | undefined;
	const open = () => (fd ??= openSource(path, expect));
	return {
		// One byte more than expected, so a file that grew is noticed without another read.
		take: length => pool.lease(length + 1),
		async fill(slot, offset, length, last) {
			const buffer = slot.buffer!;
			// A short pread on a regular file means end of file; a spurious one would be reported as a size change, never written.
			const bytesRead = fs.readSync(open(), buffer, 0, last ? length + 1 : length, offset);
			if (bytesRead > length) throw sizeChanged(path, declaredSize, 'found more');
			if (bytesRead < length) throw sizeChanged(path, declaredSize, `found ${offset + bytesRead}`);
			return buffer.subarray(0, length);
		},
		async sample(offset, length) {
			const buffer = Buffer.allocUnsafe(length);
			const bytesRead = fs.readSync(open(), buffer, 0, length, offset);
			return buffer.subarray(0, bytesRead);
		},
		async close() {
			if (fd !== undefined) fs.closeSync(fd);
			fd = undefined;
		},
		verify(crc) {
			if (expect.crc32 === undefined || crc >>> 0 === expect.crc32 >>> 0) return;
			const found = `CRC-32 ${hex(crc)}, recorded ${hex(expect.crc32)}`;
			throw failure(expect.live
				? `${path} changed after the last stage read it (${found}); datastore blobs never change in place, so something rewrote it: make the backup again.`
				: `${path} no longer holds what was copied into it (${found}): the staging copy was changed or damaged; make the backup again.`);
		},
	};
}

const hex = (crc: number) => (crc >>> 0).toString(16).padStart(8, '0');

function openSource(path: string, expect: FileExpectation): number {
	if (!expect.live) return fs.openSync(path, 'r');
	let fd: number;
	try {
		fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			// What to do, not only what happened: datastore GC is the one thing that deletes a record.
			throw failure(`${path} vanished after the last stage read it: datastore garbage collection deletes records, so never run it during a backup; let it finish, then make the backup again.`, error);
		}
		throw error;
	}
	if (!fs.fstatSync(fd).isFile()) {
		fs.closeSync(fd);
		throw failure(`${path} is no longer a regular file: make the backup again.`);
	}
	return fd;
}

export function bufferSource(data: Buffer, pool: PiecePool): PieceSource {
	return {
		take: async length => pool.reserve(length),
		fill: async (_slot, offset, length) => data.subarray(offset, offset + length),
		sample: async (offset, length) => data.subarray(offset, offset + length),
		async close() {},
		verify() {},
	};
}
