import fs from 'node:fs';

/**
 * What a stage leaves for the next: one record per path of the target, in walk
 * order, on disk. The next stage merges it with its own walk as two streams, so a
 * backup of a million files holds a few buffers, not a million objects.
 */
export interface StateRecord {
	rel: string;
	type: 'file' | 'dir' | 'other';
	size: number;
	mtimeMs: number;
	ctimeMs: number;
	ino: number;
	/** Full st_mode of the source. */
	mode: number;
	crc32: number;
	/** Changed so shortly before it was read that an unseen later write is possible: copy again. */
	racy: boolean;
	/** Known only from a previous manifest and the target's size and mtime (stage 1 of a re-sync): rsync's quick check applies. */
	quick?: boolean;
	/** Listing files only: a folder's names as readdir gave them, sorted. */
	names?: string[];
}

const types = ['file', 'dir', 'other'] as const;
/**
 * Layout: type u8, flags u8, mode u32 @2, crc u32 @6, size @10, mtime @18, ctime @26, ino @34 (f64),
 * name length u32 @42, names length u32 @46, name @50, then the names (NUL-separated; a name never holds NUL).
 */
const fixed = 50;
const bufferSize = 256 * 1024;
/** No path and no folder listing comes near this: a longer record means the file is damaged (or not a state file). */
const maxRecord = 64 * 1024 * 1024;

/** Copies the rest of `input` into `output` at its position (or its end, opened to append): state files and listings moved between files. */
export function copyBytes(input: number, output: number): void {
	const buffer = Buffer.allocUnsafe(1024 * 1024);
	for (let read = fs.readSync(input, buffer); read > 0; read = fs.readSync(input, buffer)) {
		for (let done = 0; done < read;) done += fs.writeSync(output, buffer, done, read - done);
	}
}

export class StateWriter {
	private readonly fd: number;
	private readonly buffer = Buffer.allocUnsafeSlow(bufferSize);
	private used = 0;
	/** Files and bytes recorded: what the target holds for this phase. */
	files = 0;
	bytes = 0;

	constructor(readonly file: string) {
		this.fd = fs.openSync(file, 'w', 0o600);
	}

	write(record: StateRecord): void {
		// Lengths first, then the text straight into the buffer: a Buffer per name was most of this call's cost.
		const namesText = record.names ? record.names.join('\0') : '';
		const nameLength = Buffer.byteLength(record.rel, 'utf8');
		const namesLength = record.names ? Buffer.byteLength(namesText, 'utf8') : 0;
		const size = fixed + nameLength + namesLength;
		if (size > bufferSize - this.used) this.flush();
		const b = size > bufferSize ? Buffer.allocUnsafe(size) : this.buffer;
		let at = size > bufferSize ? 0 : this.used;
		b[at++] = types.indexOf(record.type);
		b[at++] = (record.racy ? 1 : 0) | (record.quick ? 2 : 0);
		b.writeUInt32LE(record.mode >>> 0, at);
		b.writeUInt32LE(record.crc32 >>> 0, at + 4);
		b.writeDoubleLE(record.size, at + 8);
		b.writeDoubleLE(record.mtimeMs, at + 16);
		b.writeDoubleLE(record.ctimeMs, at + 24);
		b.writeDoubleLE(record.ino, at + 32);
		b.writeUInt32LE(nameLength, at + 40);
		b.writeUInt32LE(record.names ? namesLength + 1 : 0, at + 44); // +1: an empty listing differs from none
		b.write(record.rel, at + 48, nameLength, 'utf8');
		if (namesLength > 0) b.write(namesText, at + 48 + nameLength, namesLength, 'utf8');
		if (record.type === 'file') {
			this.files++;
			this.bytes += record.size;
		}
		if (size > bufferSize) fs.writeSync(this.fd, b);
		else this.used += size;
	}

	close(): void {
		this.flush();
		fs.closeSync(this.fd);
	}

	private flush(): void {
		let done = 0;
		while (done < this.used) done += fs.writeSync(this.fd, this.buffer, done, this.used - done);
		this.used = 0;
	}
}

/** Reads records back in order; `peek` looks at the next without taking it. */
export class StateReader {
	private fd: number | undefined;
	private buffer = Buffer.allocUnsafeSlow(bufferSize);
	private start = 0;
	private end = 0;
	private eof = false;
	private head: StateRecord | undefined;

	constructor(file: string) {
		this.fd = fs.openSync(file, 'r');
		this.head = this.decode();
	}

	peek(): StateRecord | undefined {
		return this.head;
	}

	next(): StateRecord | undefined {
		const record = this.head;
		this.head = this.decode();
		return record;
	}

	close(): void {
		if (this.fd !== undefined) fs.closeSync(this.fd);
		this.fd = undefined;
	}

	private decode(): StateRecord | undefined {
		if (!this.ensure(fixed)) return undefined;
		const nameLength = this.buffer.readUInt32LE(this.start + 42);
		const namesField = this.buffer.readUInt32LE(this.start + 46);
		const namesLength = Math.max(0, namesField - 1);
		if (nameLength + namesLength > maxRecord) throw new Error('a backup state file is damaged (a record longer than 64 MiB)');
		if (!this.ensure(fixed + nameLength + namesLength)) throw new Error('a backup state file is truncated');
		const b = this.buffer; // ensure() may have grown it
		const s = this.start;
		const flags = b[s + 1]!;
		const record: StateRecord = {
			type: types[b[s]!]!, racy: (flags & 1) !== 0,
			mode: b.readUInt32LE(s + 2), crc32: b.readUInt32LE(s + 6), size: b.readDoubleLE(s + 10), mtimeMs: b.readDoubleLE(s + 18),
			ctimeMs: b.readDoubleLE(s + 26), ino: b.readDoubleLE(s + 34), rel: b.toString('utf8', s + fixed, s + fixed + nameLength),
		};
		if ((flags & 2) !== 0) record.quick = true;
		if (namesField > 0) {
			const text = b.toString('utf8', s + fixed + nameLength, s + fixed + nameLength + namesLength);
			record.names = text === '' ? [] : text.split('\0');
		}
		this.start += fixed + nameLength + namesLength;
		return record;
	}

	/** Makes `count` bytes available from `start`, reading more (and growing for a long name) as needed. */
	private ensure(count: number): boolean {
		if (this.end - this.start >= count) return true;
		if (this.fd === undefined) return false;
		this.buffer.copy(this.buffer, 0, this.start, this.end);
		this.end -= this.start;
		this.start = 0;
		if (count > this.buffer.length) {
			const bigger = Buffer.allocUnsafeSlow(count * 2);
			this.buffer.copy(bigger, 0, 0, this.end);
			this.buffer = bigger;
		}
		while (!this.eof && this.end < count) {
			const read = fs.readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
			if (read === 0) this.eof = true;
			this.end += read;
		}
		return this.end - this.start >= count;
	}
}

/** The previous state of the target, in walk order: a state file, or (stage 1 of a re-sync) the target itself. */
export interface PreviousState {
	peek(): StateRecord | undefined;
	next(): StateRecord | undefined;
	close(): void;
}
