/**
 * Piece deflate, as pigz does it: a file is cut into pieces deflated independently
 * and concurrently; every piece but the last ends with Z_SYNC_FLUSH (byte-aligned,
 * not final) so the raw streams simply concatenate, and each piece is primed with
 * the previous piece's last 32 KiB so the ratio stays close to one stream's.
 */
import {promisify} from 'node:util';
import zlib from 'node:zlib';
import type {Budget} from './budget.js';

export const DICTIONARY_SIZE = 32 * 1024;
/**
 * Below this a piece is deflated on the main thread. Measured on Node 20: an async
 * deflateRaw of a few hundred bytes costs 160–260 µs of stream and thread-pool
 * overhead, a sync one 14 µs; at 4 KiB the sync call is still under ~100 µs.
 */
const SYNC_LIMIT = 4 * 1024;
const deflateRawAsync = promisify(zlib.deflateRaw);

export interface PieceOptions {
	level: number;
	/** The last DICTIONARY_SIZE bytes before this piece; must not change until the call returns. */
	dictionary?: Buffer;
	/** Z_FINISH for the last piece of an entry, Z_SYNC_FLUSH otherwise. */
	final: boolean;
	/** Limits deflates running on the thread pool to the writer's concurrency. */
	slots: Budget;
}

export async function deflatePiece(data: Buffer, {level, dictionary, final, slots}: PieceOptions): Promise<Buffer> {
	const options: zlib.ZlibOptions = {
		level,
		finishFlush: final ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
		...(dictionary && dictionary.length > 0 ? {dictionary} : {}),
	};
	// The sync result is a slice of an output buffer of chunkSize (16 KiB by default):
	// sized to the input it comes from Node's slab pool instead of a fresh 16 KiB
	// allocation per small file, which with 200,000 entries grew the RSS by tens of MiB.
	if (data.length <= SYNC_LIMIT) return zlib.deflateRawSync(data, {...options, chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, data.length + 64)});
	await slots.acquire(1);
	try {
		// An async zlib call comes back to the main thread once per chunkSize of output
		// (16 KiB by default) before it goes on: with the main thread busy reading, both
		// deflate threads sat waiting for it (measured: two slots busy, ~1.2 cores used).
		// One chunk big enough for the whole output makes it a single round trip.
		return await deflateRawAsync(data, {...options, chunkSize: outputBound(data.length)});
	} finally {
		slots.release(1);
	}
}

/** More than deflate can produce from `length` bytes (zlib's deflateBound plus a flush marker's few bytes). */
export const outputBound = (length: number) => Math.max(zlib.constants.Z_MIN_CHUNK, length + (length >>> 10) + 1024);

/** The dictionary for the piece after `raw`: a copy, because raw's buffer is recycled once written. */
export function dictionaryAfter(raw: Buffer): Buffer {
	return Buffer.from(raw.subarray(Math.max(0, raw.length - DICTIONARY_SIZE)));
}
