/**
 * Reads backups: the central directory one record at a time (central-reader.ts)
 * and entry data with synchronous positional reads. Small deflated entries are
 * inflated in one synchronous call; big ones stream through an async inflate
 * whose output comes back a MiB at a time. Nothing here checks CRCs on its own:
 * `readEntryChecked` computes them (the zip format leaves that to the reader).
 *
 * Why not yauzl (which this replaced, and which the tests still read our zips
 * with): it made a thread-pool round trip per central record and per chunk of
 * each entry, which on a 58,000-entry backup was most of a restore's time.
 */
import fs from 'node:fs';
import {Readable} from 'node:stream';
import zlib from 'node:zlib';
import {throwIfAborted} from '../platform/errors.js';
import {Yielder} from '../walk/yielder.js';
import {type ZipDirectory, centralEntries, readDirectory, readExactly, ZipFormatError} from './central-reader.js';
import {checkMethod, crcHex, describe, type ZipEntryInfo} from './entry-info.js';

export {ZipFormatError} from './central-reader.js';
export {crcHex, UnsafeEntryError, type ZipEntryInfo} from './entry-info.js';

const LOCAL = 0x04034b50;
const CHUNK = 1024 * 1024;
/** Deflated entries up to this size (either side) are inflated in one synchronous call. */
const SYNC_INFLATE = 4 * 1024 * 1024;
/** Entries up to this many bytes in the zip are read through the window. */
const WINDOW_ENTRY = 256 * 1024;

export class ZipReader {
	private readonly buffer = Buffer.allocUnsafeSlow(CHUNK);
	private input = Buffer.alloc(0);
	/** A MiB of the entries' area read at once: local headers and small entries are served from it (see readWhole). */
	private readonly window = Buffer.allocUnsafeSlow(CHUNK);
	private windowStart = 0;
	private windowLength = 0;
	private closed = false;
	/** Shared by the directory walk and data reads, so the event loop gets a turn every ~15 ms of either. */
	private readonly yielder = new Yielder();

	private constructor(private readonly directory: ZipDirectory) {}

	get entryCount(): number {
		return this.directory.entryCount;
	}

	/** Opens a zip; throws when it cannot be read as one. */
	static open(file: string): ZipReader {
		const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
		try {
			if (!fs.fstatSync(fd).isFile()) throw new ZipFormatError('not a regular file');
			return new ZipReader(readDirectory(fd));
		} catch (error) {
			fs.closeSync(fd);
			throw error;
		}
	}

	/**
	 * Walks the central directory once, yielding to the event loop now and then.
	 * A name that is absolute or holds a `..` segment (backslashes count as
	 * slashes) throws an UnsafeEntryError before that entry is returned.
	 */
	async * entries(): AsyncGenerator<ZipEntryInfo> {
		for (const central of centralEntries(this.directory)) {
			yield describe(central);
			await this.yielder.maybe();
		}
	}

	/** As entries(), synchronously: for loops over every entry that yield to the event loop themselves. */
	* entriesSync(): Generator<ZipEntryInfo> {
		for (const central of centralEntries(this.directory)) yield describe(central);
	}

	/**
	 * A small entry's data in one synchronous call (valid until the next call), or
	 * undefined for one too big (read it with chunks()). Sequential small entries
	 * come from one read of a MiB instead of two reads each (header and data):
	 * at a million datastore records that was most of a verify's system time.
	 * Damage throws ZipFormatError, as in chunks().
	 */
	readWhole(entry: ZipEntryInfo): Buffer | undefined {
		const {central} = entry;
		if (central.compressedSize > WINDOW_ENTRY || central.size > SYNC_INFLATE) return undefined;
		checkMethod(entry);
		const data = this.windowed(this.dataStart(entry), central.compressedSize);
		return central.method === 0 ? data : this.inflateWhole(entry, data);
	}

	/**
	 * The entry's data, chunk by chunk (a chunk is only valid until the next one is
	 * asked for). Throws ZipFormatError when the entry is damaged in a way the
	 * format shows: a bad local header, data running past the directory, an
	 * unsupported method, too many or too few bytes.
	 */
	async * chunks(entry: ZipEntryInfo, signal?: AbortSignal): AsyncGenerator<Buffer> {
		const {central} = entry;
		checkMethod(entry);
		let position = this.dataStart(entry);
		const end = position + central.compressedSize;
		if (central.method === 0) {
			while (position < end) {
				throwIfAborted(signal);
				const length = Math.min(CHUNK, end - position);
				readExactly(this.directory.fd, this.buffer, length, position);
				position += length;
				yield this.buffer.subarray(0, length);
				await this.yielder.maybe();
			}
			return;
		}
		if (central.size <= SYNC_INFLATE && central.compressedSize <= SYNC_INFLATE) {
			if (this.input.length < central.compressedSize) this.input = Buffer.allocUnsafeSlow(Math.max(central.compressedSize, 64 * 1024));
			readExactly(this.directory.fd, this.input, central.compressedSize, position);
			const output = this.inflateWhole(entry, this.input.subarray(0, central.compressedSize));
			if (output.length > 0) yield output;
			return;
		}
		yield * this.inflateStream(entry, position, end, signal);
	}

	private inflateWhole(entry: ZipEntryInfo, compressed: Buffer): Buffer {
		const {size} = entry.central;
		let output: Buffer;
		try {
			output = zlib.inflateRawSync(compressed, {maxOutputLength: Math.max(1, size), chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, size + 1)});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipFormatError(`too many bytes in the stream of ${entry.name}`);
			throw new ZipFormatError(`${entry.name}: ${(error as Error).message}`);
		}
		if (output.length !== size) throw new ZipFormatError(`${entry.name} holds ${output.length} bytes, the directory says ${size}`);
		return output;
	}

	/** [position, position + length) of the entries' area, from the window (read again, from `position`, when it is not in it). */
	private windowed(position: number, length: number): Buffer {
		if (position < this.windowStart || position + length > this.windowStart + this.windowLength) {
			// Callers checked that the range lies before the central directory, and it is never over WINDOW_ENTRY + a header.
			this.windowStart = position;
			this.windowLength = Math.max(length, Math.min(CHUNK, this.directory.centralOffset - position));
			readExactly(this.directory.fd, this.window, this.windowLength, position);
		}
		return this.window.subarray(position - this.windowStart, position - this.windowStart + length);
	}

	/** A big deflated entry: compressed pieces read synchronously, inflated on the thread pool a MiB of output at a time. */
	private async * inflateStream(entry: ZipEntryInfo, start: number, end: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
		const {fd} = this.directory;
		async function * compressed(): AsyncGenerator<Buffer> {
			for (let position = start; position < end;) {
				const length = Math.min(CHUNK, end - position);
				const piece = Buffer.allocUnsafe(length); // The inflate stream holds on to what it is given.
				readExactly(fd, piece, length, position);
				position += length;
				yield piece;
			}
		}
		const inflate = zlib.createInflateRaw({chunkSize: CHUNK});
		const source = Readable.from(compressed());
		source.on('error', error => inflate.destroy(error));
		source.pipe(inflate);
		let bytes = 0;
		try {
			for await (const chunk of inflate as AsyncIterable<Buffer>) {
				throwIfAborted(signal);
				bytes += chunk.length;
				if (bytes > entry.size) throw new ZipFormatError(`too many bytes in the stream of ${entry.name}`);
				yield chunk;
			}
		} catch (error) {
			if (error instanceof ZipFormatError || (error as Error)?.name === 'AbortError' || signal?.aborted) throw error;
			throw new ZipFormatError(`${entry.name}: ${(error as Error).message}`);
		} finally {
			source.destroy();
			inflate.destroy();
		}
		if (bytes !== entry.size) throw new ZipFormatError(`${entry.name} holds ${bytes} bytes, the directory says ${entry.size}`);
	}

	/** A stream of the entry's data (copied chunks), for line readers such as the manifest's. */
	openEntry(entry: ZipEntryInfo): Readable {
		const chunks = this.chunks(entry);
		return Readable.from((async function * () {
			for await (const chunk of chunks) yield Buffer.from(chunk);
		})());
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		fs.closeSync(this.directory.fd);
	}

	/** Where the entry's data begins: after its local header, whose name and extra lengths may differ from the central record's. */
	private dataStart(entry: ZipEntryInfo): number {
		const {central} = entry;
		if (central.localOffset + 30 > this.directory.centralOffset) throw new ZipFormatError(`the local file header of ${entry.name} lies past the entries`);
		const header = this.windowed(central.localOffset, 30);
		const signature = header.readUInt32LE(0);
		if (signature !== LOCAL) throw new ZipFormatError(`invalid local file header signature: 0x${signature.toString(16)} for ${entry.name}`);
		const start = central.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
		if (start + central.compressedSize > this.directory.centralOffset) throw new ZipFormatError(`file data of ${entry.name} overflows file bounds`);
		return start;
	}
}

export function openZip(file: string): ZipReader {
	return ZipReader.open(file);
}

/** Reads an entry to the end, computing its CRC-32; `onChunk` sees every chunk (valid only during the call) to write or count it. */
export async function readEntryChecked(
	reader: ZipReader,
	entry: ZipEntryInfo,
	onChunk?: (chunk: Buffer) => Promise<void> | void,
	signal?: AbortSignal,
): Promise<{crc32: string; bytes: number}> {
	const whole = reader.readWhole(entry);
	if (whole) {
		const crc32 = crcHex(zlib.crc32(whole));
		if (whole.length > 0 && onChunk) await onChunk(whole);
		return {crc32, bytes: whole.length};
	}
	let crc = 0;
	let bytes = 0;
	for await (const chunk of reader.chunks(entry, signal)) {
		crc = zlib.crc32(chunk, crc);
		bytes += chunk.length;
		if (onChunk) await onChunk(chunk);
	}
	return {crc32: crcHex(crc), bytes};
}

/** The first `count` bytes of an entry (for `#!` sniffing and manifest headers), reading no further than needed. */
export async function readEntryStart(reader: ZipReader, entry: ZipEntryInfo, count: number): Promise<Buffer> {
	const parts: Buffer[] = [];
	let length = 0;
	const chunks = reader.chunks(entry);
	try {
		for await (const chunk of chunks) {
			parts.push(Buffer.from(chunk.subarray(0, count - length)));
			length += Math.min(chunk.length, count - length);
			if (length >= count) break;
		}
	} finally {
		await chunks.return(undefined);
	}
	return Buffer.concat(parts);
}
