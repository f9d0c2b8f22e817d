/**
 * Memory for pieces: every piece read or handed over takes its size from one
 * budget (concurrency × 2 pieces) and gives it back once written, so memory stays
 * flat however many entries are added. Full-size read buffers are recycled; small
 * ones come from Node's slab allocator, which is cheaper than holding 1 MiB for a
 * 200-byte file.
 */
import {Budget} from './budget.js';
import type {Slot} from './types.js';

export const PIECE_SIZE = 1024 * 1024;
/** Reads ask for one byte more than expected, to notice a file that grew. */
const BUFFER_SIZE = PIECE_SIZE + 1;
const SMALL = 64 * 1024;

export class PiecePool {
	readonly budget: Budget;
	private readonly free: Buffer[] = [];

	constructor(pieces: number) {
		this.budget = new Budget(pieces * PIECE_SIZE);
	}

	/** A buffer of at least `length` bytes (at most PIECE_SIZE + 1). */
	async lease(length: number): Promise<Slot & {buffer: Buffer}> {
		const pooled = length > SMALL;
		const cost = pooled ? PIECE_SIZE : Math.max(length, 1);
		await this.budget.acquire(cost);
		const buffer = pooled ? (this.free.pop() ?? Buffer.allocUnsafeSlow(BUFFER_SIZE)) : Buffer.allocUnsafe(length);
		return {buffer, release: this.releaser(cost, pooled ? buffer : undefined)};
	}

	/** Budget without a buffer, for data the caller already holds (addBuffer). */
	async reserve(length: number): Promise<Slot> {
		const cost = Math.max(Math.min(length, PIECE_SIZE), 1);
		await this.budget.acquire(cost);
		return {release: this.releaser(cost)};
	}

	/** Gives the cost back once however often it is called, and recycles a pooled buffer. */
	private releaser(cost: number, recycled?: Buffer): () => void {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			if (recycled) this.free.push(recycled);
			this.budget.release(cost);
		};
	}

	break(error: unknown): void {
		this.budget.break(error);
		this.free.length = 0;
	}
}
