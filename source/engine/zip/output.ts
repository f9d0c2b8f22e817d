/**
 * The zip file as written: small writes are gathered into 1 MiB buffers, and every
 * write to disk is queued on one ordered lane that runs beside the caller, so the
 * main thread goes on reading and checksumming while the thread pool writes
 * (awaiting each write in turn left a core idle: at level 0, half the zip step).
 * At most WRITE_AHEAD bytes wait on the lane; write() waits when more would.
 * A write never straddles a gather buffer, so a local header is either still in
 * the buffer (patched in memory) or handed to the lane (patched by a pwrite queued
 * after the write that carries it).
 */
import type {FileHandle} from 'node:fs/promises';
import type {Encoded} from './records.js';

const CAPACITY = 1024 * 1024;
const WRITE_AHEAD = 8 * 1024 * 1024;

export async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
	let done = 0;
	while (done < data.length) {
		const {bytesWritten} = await handle.write(data, done, data.length - done, position + done);
		done += bytesWritten;
	}
}

interface Queued {
	bytes: number;
	done: Promise<void>;
}

export class Output {
	private buffer: Buffer = Buffer.allocUnsafeSlow(CAPACITY);
	private readonly spare: Buffer[] = [];
	private used = 0;
	/** File offset of buffer[0]: everything before it is handed to the lane. */
	private flushed = 0;
	private lane: Promise<void> = Promise.resolve();
	private readonly queued: Queued[] = [];
	private queuedBytes = 0;
	private error: unknown;

	constructor(private readonly handle: FileHandle) {}

	/** Offset the next write lands at. */
	get offset(): number {
		return this.flushed + this.used;
	}

	/**
	 * Appends data. Without `release`, the caller may reuse `data` once this
	 * resolves. With it, the output owns `data` until it calls `release` (once,
	 * written or not), so a big block is written without being copied or waited for.
	 */
	async write(data: Buffer, release?: () => void): Promise<void> {
		if (this.error !== undefined) {
			release?.();
			throw this.error;
		}
		if (data.length < CAPACITY / 2) {
			if (data.length > CAPACITY - this.used) await this.handOff();
			data.copy(this.buffer, this.used);
			this.used += data.length;
			release?.();
			return;
		}
		// Big blocks (stored or deflated pieces) go to the lane as they are, after what is gathered.
		await this.handOff();
		const position = this.flushed;
		this.flushed += data.length;
		if (release) {
			await this.enqueue(data.length, async () => writeAll(this.handle, data, position), release);
		} else {
			let written!: () => void;
			const done = new Promise<void>(resolve => { written = resolve; });
			await this.enqueue(data.length, async () => writeAll(this.handle, data, position), () => written());
			await done;
			if (this.error !== undefined) throw this.error;
		}
	}

	/** Appends a record, encoded straight into the buffer. */
	async writeRecord(record: Encoded): Promise<void> {
		if (record.size > CAPACITY / 2) return this.write(encodeAlone(record));
		if (this.error !== undefined) throw this.error;
		if (record.size > CAPACITY - this.used) await this.handOff();
		record.encode(this.buffer, this.used);
		this.used += record.size;
	}

	/** Overwrites a record written before with writeRecord, with one of the same size. */
	async patchRecord(position: number, record: Encoded): Promise<void> {
		if (position >= this.flushed) {
			record.encode(this.buffer, position - this.flushed);
			return;
		}
		const patch = encodeAlone(record);
		await this.enqueue(patch.length, async () => writeAll(this.handle, patch, position));
	}

	/** Writes everything handed over so far; rejects with the first write error. */
	async flush(): Promise<void> {
		await this.handOff();
		await this.lane;
		if (this.error !== undefined) throw this.error;
	}

	/** Hands the gather buffer to the lane and carries on in a spare one. */
	private async handOff(): Promise<void> {
		if (this.used === 0) return;
		const full = this.buffer;
		const length = this.used;
		const position = this.flushed;
		this.flushed += length;
		this.used = 0;
		this.buffer = this.spare.pop() ?? Buffer.allocUnsafeSlow(CAPACITY);
		await this.enqueue(length, async () => writeAll(this.handle, full.subarray(0, length), position), () => this.spare.push(full));
	}

	/** Queues a write on the lane (skipped once a write has failed); waits while too much is queued. */
	private async enqueue(bytes: number, run: () => Promise<void>, after?: () => void): Promise<void> {
		const done = this.lane.then(async () => {
			try {
				if (this.error === undefined) await run();
			} catch (error) {
				this.error ??= error;
			} finally {
				this.queuedBytes -= bytes;
				this.queued.shift();
				after?.();
			}
		});
		this.lane = done;
		this.queued.push({bytes, done});
		this.queuedBytes += bytes;
		while (this.queuedBytes > WRITE_AHEAD && this.queued.length > 1) await this.queued[0]!.done;
		if (this.error !== undefined) throw this.error;
	}
}

export function encodeAlone(record: Encoded): Buffer {
	const buffer = Buffer.allocUnsafe(record.size);
	record.encode(buffer, 0);
	return buffer;
}
