import {setImmediate as tick} from 'node:timers/promises';
import {captureBatch, type Captured, type CaptureItem} from '../walk/capture.js';
import type {HelperThread} from '../walk/helper-thread.js';
import type {StateRecord} from '../walk/state-file.js';

/** Files up to this size are captured in batches: one read each, so nothing waits between their chunks. */
export const smallFileBytes = 1024 * 1024;
/** A batch: a few milliseconds of copying, short enough for the event loop (see Yielder) and for the helper's reply to pay. */
export const batchFiles = 64;
const batchBytes = 4 * 1024 * 1024;
/** Fewer files than this are copied here alone: the helper thread's start (a V8 heap, 30–50 ms) would not pay. */
export const minSharedFiles = 2000;
/** Batches this thread may copy ahead of one the helper still has: bounds the records held in memory. */
const maxAhead = 16;

interface Batch {
	items: CaptureItem[];
	results?: Array<Captured | null>;
	error?: unknown;
	/** While the helper thread copies it. */
	running?: Promise<void>;
}

type Slot<Tag> = {record: StateRecord} | {tag: Tag; batch: Batch; index: number};

/**
 * Stage 1's copies of small files, shared between this thread and the helper:
 * per-file system calls (open, fstat, create, read, write, futimes, close),
 * not bytes, are what a datastore of small records costs, and `cp` makes them
 * on one core. Files are gathered into batches in walk order; a batch goes to
 * the helper thread when it is idle, else this thread copies it at once. The
 * results come back to the caller strictly in walk order (with the records it
 * writes in between), so the state file and the manifest stay in path order,
 * and every copy is the same capture (see captureSteps) on either thread.
 *
 * The queue never touches a path twice at once: each file is in one batch, and
 * the caller makes folders before the files in them are queued. What the caller
 * deletes meanwhile is never a queued path (it deletes only what the walk has
 * passed without seeing, or an entry's own wrong-typed path before queuing it).
 * A failed batch fails the stage; a helper thread that dies has its batch copied
 * here. close() waits for the helper's batch, so nothing is written after the
 * stage has ended, even when it failed or was cancelled.
 */
export class CaptureQueue<Tag> {
	private slots: Array<Slot<Tag>> = [];
	private head = 0;
	private open: Batch | undefined;
	private openBytes = 0;
	/** The helper's batch, while it copies it (the thread takes one job at a time). */
	private helperBatch: Promise<void> | undefined;

	constructor(
		private readonly helper: HelperThread | undefined,
		/** Files a batch holds: 1 under the delay, which charges every file as it is copied. */
		private readonly batchFiles: number,
		/** Writes a record (in walk order). */
		private readonly onRecord: (record: StateRecord) => void,
		/** A queued file's capture (in walk order); undefined when the source vanished. */
		private readonly onCaptured: (tag: Tag, captured: Captured | undefined) => void,
	) {}

	/** A record to write once every file queued before it has been captured. */
	write(record: StateRecord): void {
		if (this.head === this.slots.length) this.onRecord(record);
		else this.slots.push({record});
	}

	/** Queues a file of at most smallFileBytes; returns the bytes of the batch it sent off, if it did (for the delay). */
	async add(tag: Tag, item: CaptureItem, size: number): Promise<number> {
		this.open ??= {items: []};
		this.slots.push({tag, batch: this.open, index: this.open.items.length});
		this.open.items.push(item);
		this.openBytes += size;
		return this.open.items.length >= this.batchFiles || this.openBytes >= batchBytes ? this.send() : 0;
	}

	/** Captures everything queued and hands every result over; returns the bytes of the last batch it sent off (for the delay). */
	async flush(): Promise<number> {
		const bytes = await this.send();
		for (;;) {
			this.drain();
			if (this.head === this.slots.length) return bytes;
			await (this.slots[this.head] as {batch: Batch}).batch.running;
		}
	}

	/** Waits for the helper's batch (its results are dropped): after it, nothing of this queue is writing. */
	async close(): Promise<void> {
		await this.helperBatch;
	}

	private async send(): Promise<number> {
		const batch = this.open;
		const bytes = this.openBytes;
		this.open = undefined;
		this.openBytes = 0;
		if (!batch) return 0;
		if (this.helper?.idle) {
			batch.running = this.helperBatch = this.helper.capture(batch.items).then(results => {
				batch.results = results;
			}, (error: unknown) => {
				// A thread that died leaves its batch to this thread (drain); a copy that failed fails the stage.
				if (this.helper!.usable) batch.error = error;
			}).finally(() => {
				batch.running = this.helperBatch = undefined;
			});
		} else {
			batch.results = captureBatch(batch.items);
			await tick(); // Lets the helper's reply in, so that it gets the next batch.
		}
		this.drain();
		// Too far ahead of the helper's batch (the only one that can hold the head): wait for it.
		if (this.helperBatch && this.slots.length - this.head > maxAhead * this.batchFiles) {
			await this.helperBatch;
			this.drain();
		}
		return bytes;
	}

	/** Hands over every slot at the head whose result is in. */
	private drain(): void {
		while (this.head < this.slots.length) {
			const slot = this.slots[this.head]!;
			if ('record' in slot) {
				this.onRecord(slot.record);
			} else {
				const {batch} = slot;
				if (batch.error !== undefined) throw batch.error;
				if (batch.running || batch === this.open) break; // Still being copied, or still being filled.
				batch.results ??= captureBatch(batch.items);
				this.onCaptured(slot.tag, batch.results[slot.index] ?? undefined);
			}
			this.head++;
		}
		if (this.head === this.slots.length) {
			this.slots = [];
			this.head = 0;
		}
	}
}
