/**
 * The producer side of the pipeline: turns one entry into sink items, in order.
 * Single-piece entries are queued at once with their read and deflate still
 * running, so many small files are in flight together; bigger entries are read
 * piece by piece here, each piece's deflate starting as soon as it is read.
 * Every await on the piece pool or the item queue is a backpressure point.
 */
import zlib from 'node:zlib';
import {throwIfAborted} from '../platform/errors.js';
import type {Budget} from './budget.js';
import {deflatePiece, dictionaryAfter} from './deflate.js';
import {PIECE_SIZE} from './piece-pool.js';
import {looksIncompressible, SAMPLE_SIZE, sampleOffsets, worthDeflating} from './probe.js';
import type {PieceSource} from './sources.js';
import {type EntryMeta, type Method, type SinkItem, type Slot, type WholeData, DEFLATED, STORED} from './types.js';

export interface ProduceContext {
	level: number;
	/** Running thread-pool deflates. */
	slots: Budget;
	signal?: AbortSignal;
	onProgress?: (bytesRead: number, name: string) => void;
	/** Waits for room in the queue, then queues the item `make` returns. */
	enqueue(make: () => SinkItem): Promise<void>;
}

const ignore = () => undefined;
const empty = Buffer.alloc(0);

export async function produceEntry(context: ProduceContext, meta: EntryMeta, source?: PieceSource): Promise<void> {
	throwIfAborted(context.signal);
	if (!source) {
		const data = Promise.resolve<WholeData>({raw: empty, crc: 0, compressed: null, release: ignore});
		return context.enqueue(() => ({type: 'whole', meta, data}));
	}

	if (meta.size <= PIECE_SIZE) {
		const slot = await source.take(meta.size);
		return context.enqueue(() => {
			const data = loadWhole(context, meta, source, slot);
			data.catch(ignore); // Awaited by the sink later; do not let it count as unhandled meanwhile.
			return {type: 'whole', meta, data};
		});
	}

	return producePieces(context, meta, source);
}

async function loadWhole(context: ProduceContext, meta: EntryMeta, source: PieceSource, slot: Slot): Promise<WholeData> {
	const {release} = slot;
	try {
		const raw = await source.fill(slot, 0, meta.size, true);
		await source.close();
		if (raw.length > 0) context.onProgress?.(raw.length, meta.name);
		const crc = zlib.crc32(raw);
		source.verify(crc);
		// Up to one sample the entry is its own sample: deflate it and keep whichever is smaller.
		// Random-looking bytes up to that size are stored without a trial (see looksIncompressible).
		const worth = context.level === 0 ? false
			: raw.length > SAMPLE_SIZE ? await worthDeflating([raw.subarray(0, SAMPLE_SIZE)], context.slots)
				: raw.length > 0 && !looksIncompressible(raw);
		const packed = worth ? await deflatePiece(raw, {level: context.level, final: true, slots: context.slots}) : null;
		return {raw, crc, compressed: packed && packed.length < raw.length ? packed : null, release};
	} catch (error) {
		release();
		await source.close();
		throw error;
	}
}

async function producePieces(context: ProduceContext, meta: EntryMeta, source: PieceSource): Promise<void> {
	const {level, slots} = context;
	try {
		let slot = await source.take(PIECE_SIZE);
		let raw = await source.fill(slot, 0, PIECE_SIZE, false);
		const samples = level === 0 ? [] : await Promise.all(sampleOffsets(meta.size, PIECE_SIZE).map(async offset =>
			offset === 0 ? raw.subarray(0, SAMPLE_SIZE) : source.sample(offset, SAMPLE_SIZE)));
		const method = level === 0 ? Promise.resolve<Method>(STORED) : worthDeflating(samples, slots).then(worth => (worth ? DEFLATED : STORED));
		method.catch(ignore);
		await context.enqueue(() => ({type: 'begin', meta, method}));
		let crc = 0;
		let dictionary: Buffer | undefined;
		for (let offset = 0; ;) {
			crc = zlib.crc32(raw, crc);
			context.onProgress?.(raw.length, meta.name);
			const final = offset + raw.length === meta.size;
			const piece = raw;
			const primer = dictionary;
			const data = method.then(async chosen => (chosen === DEFLATED ? deflatePiece(piece, {level, dictionary: primer, final, slots}) : piece));
			data.catch(ignore);
			// Copied before queueing: once written, the piece's buffer goes back to the pool.
			dictionary = final ? undefined : dictionaryAfter(piece);
			const {release} = slot;
			await context.enqueue(() => ({type: 'piece', data, release}));
			offset += piece.length;
			if (final) break;
			throwIfAborted(context.signal);
			const length = Math.min(PIECE_SIZE, meta.size - offset);
			slot = await source.take(length);
			raw = await source.fill(slot, offset, length, offset + length === meta.size);
		}

		source.verify(crc);
		await context.enqueue(() => ({type: 'end', crc, size: meta.size}));
	} finally {
		await source.close();
	}
}
