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

/** Offsets of the samples for an entry of `size` bytes: its start, and its middle when it is bigger than a piece. */
export function sampleOffsets(size: number, pieceSize: number): number[] {
	return size > pieceSize ? [0, Math.floor(size / 2)] : [0];
}
