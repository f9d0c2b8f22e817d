/**
 * Decides by content whether an entry is worth deflating: samples are deflated at
 * level 1 and the entry is stored when they shrink by less than ~3 %. Already
 * compressed data (JPEG, zip, gz blobs in a datastore) then costs a copy instead
 * of a level-6 deflate that gains nothing, and is faster to restore.
 */
import {deflatePiece} from './deflate.js';
import type {Budget} from './budget.js';

export const SAMPLE_SIZE = 64 * 1024;
const MIN_SAVING = 0.03;

export async function worthDeflating(samples: Buffer[], slots: Budget): Promise<boolean> {
	const packed = await Promise.all(samples.map(async sample => (await deflatePiece(sample, {level: 1, final: true, slots})).length));
	const rawBytes = samples.reduce((sum, sample) => sum + sample.length, 0);
	const packedBytes = packed.reduce((sum, length) => sum + length, 0);
	return packedBytes < rawBytes * (1 - MIN_SAVING);
}

/** Bytes looked at by looksIncompressible: three slices (start, middle, end) of this many bytes each. */
const SLICE = 1536;
/** Order-0 entropy (bits a byte) from which a sample is taken for random: Huffman coding then saves under 2.5 %. */
const RANDOM_BITS = 7.8;
const counts = new Uint32Array(256);

/**
 * Whether a small entry is not worth even a trial deflate, judged from a byte
 * histogram of a sample: random-looking bytes (encrypted, compressed or
 * already-encoded media, most of a production datastore's records) have an
 * order-0 entropy near 8 bits a byte, text and most structured data far below.
 * A datastore of a million 2–12 KiB records spent most of its zip step creating
 * a zlib stream per record to learn that it does not shrink (a 4 KiB sample of
 * random bytes measures ~7.95 bits; English text ~4.5). A wrong call only
 * costs size: the entry is stored instead of deflated, never changed.
 */
export function looksIncompressible(data: Buffer): boolean {
	if (data.length < 1024) return false;
	counts.fill(0);
	let total = 0;
	const slice = Math.min(SLICE, Math.floor(data.length / 3));
	for (const start of [0, Math.floor((data.length - slice) / 2), data.length - slice]) {
		for (let index = start; index < start + slice; index++) counts[data[index]!]!++;
		total += slice;
	}
	let bits = 0;
	for (let byte = 0; byte < 256; byte++) {
		const count = counts[byte]!;
		if (count > 0) bits -= count * Math.log2(count / total);
	}
	return bits / total >= RANDOM_BITS;
}

/** Offsets of the samples for an entry of `size` bytes: its start, and its middle when it is bigger than a piece. */
export function sampleOffsets(size: number, pieceSize: number): number[] {
	return size > pieceSize ? [0, Math.floor(size / 2)] : [0];
}
