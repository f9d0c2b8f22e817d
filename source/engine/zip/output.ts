/**
 * The zip file as written: small writes are gathered into one 1 MiB buffer and
 * written with one positional write, so a thousand small entries cost a handful of
 * syscalls. A write never straddles a flush, so a local header is either still in
 * the buffer (patched in memory) or wholly on disk (patched with one pwrite).
 */
import type {FileHandle} from 'node:fs/promises';
import type {Encoded} from './records.js';

const CAPACITY = 1024 * 1024;

export async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
	let done = 0;
	while (done < data.length) {
		const {bytesWritten} = await handle.write(data, done, data.length - done, position + done);
		done += bytesWritten;
	}
}

export class Output {
	private readonly buffer = Buffer.allocUnsafeSlow(CAPACITY);
	private used = 0;
	/** File offset of buffer[0]: everything before it is on disk. */
	private flushed = 0;

	constructor(private readonly handle: FileHandle) {}

	/** Offset the next write lands at. */
	get offset(): number {
		return this.flushed + this.used;
	}

	/** Appends data. The caller may reuse `data` once this resolves. */
	async write(data: Buffer): Promise<void> {
		// Big blocks (stored pieces) go straight to disk instead of being copied first,
		// after what is buffered: they land at `flushed`, so the buffer must be empty.
		if (data.length >= CAPACITY / 2) {
			await this.flush();
			await writeAll(this.handle, data, this.flushed);
			this.flushed += data.length;
			return;
		}

		if (data.length > CAPACITY - this.used) await this.flush();
		data.copy(this.buffer, this.used);
		this.used += data.length;
	}

	/** Appends a record, encoded straight into the buffer. */
	async writeRecord(record: Encoded): Promise<void> {
		if (record.size > CAPACITY) return this.write(encodeAlone(record));
		if (record.size > CAPACITY - this.used) await this.flush();
		record.encode(this.buffer, this.used);
		this.used += record.size;
	}

	/** Overwrites a record written before with writeRecord, with one of the same size. */
	async patchRecord(position: number, record: Encoded): Promise<void> {
		if (position >= this.flushed) record.encode(this.buffer, position - this.flushed);
		else await writeAll(this.handle, encodeAlone(record), position);
	}

	async flush(): Promise<void> {
		if (this.used === 0) return;
		await writeAll(this.handle, this.buffer.subarray(0, this.used), this.flushed);
		this.flushed += this.used;
		this.used = 0;
	}
}

export function encodeAlone(record: Encoded): Buffer {
	const buffer = Buffer.allocUnsafe(record.size);
	record.encode(buffer, 0);
	return buffer;
}
