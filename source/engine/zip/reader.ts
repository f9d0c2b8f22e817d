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
import {type CentralEntry, type ZipDirectory, centralEntries, readDirectory, readExactly, ZipFormatError} from './central-reader.js';

export {ZipFormatError} from './central-reader.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** "Version made by" host 3 is Unix: only then do the top 16 external-attribute bits hold a mode. */
const UNIX_HOST = 3;
const LOCAL = 0x04034b50;
const CHUNK = 1024 * 1024;
/** Deflated entries up to this size (either side) are inflated in one synchronous call. */
const SYNC_INFLATE = 4 * 1024 * 1024;

export interface ZipEntryInfo {
	/** Entry name with forward slashes and no trailing slash. */
	name: string;
	isDirectory: boolean;
	isSymlink: boolean;
	/** Uncompressed size. */
	size: number;
	/** CRC-32 from the central directory, as 8 lowercase hex digits. */
	crc32: string;
	/** Full unix mode (type and permission bits) when the zip stores one. */
	mode?: number;
	/** From the extended timestamp when there is one (to the second), else the DOS time (2 s, local time). */
	mtime: Date;
	central: CentralEntry;
}

/** An entry name that would land outside the folder it is extracted into. */
export class UnsafeEntryError extends Error {}

export const crcHex = (crc: number) => (crc >>> 0).toString(16).padStart(8, '0');

export class ZipReader {
	private readonly buffer = Buffer.allocUnsafeSlow(CHUNK);
	private input = Buffer.alloc(0);
	private readonly header = Buffer.allocUnsafe(30);
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

	/**
	 * The entry's data, chunk by chunk (a chunk is only valid until the next one is
	 * asked for). Throws ZipFormatError when the entry is damaged in a way the
	 * format shows: a bad local header, data running past the directory, an
	 * unsupported method, too many or too few bytes.
	 */
	async * chunks(entry: ZipEntryInfo, signal?: AbortSignal): AsyncGenerator<Buffer> {
		const {central} = entry;
		if ((central.flags & 1) !== 0) throw new ZipFormatError(`${entry.name} is encrypted, which is not supported`);
		if (central.method !== 0 && central.method !== 8) throw new ZipFormatError(`${entry.name} uses compression method ${central.method}; only stored (0) and deflated (8) are supported`);
		if (central.method === 0 && central.compressedSize !== central.size) throw new ZipFormatError(`compressed/uncompressed size mismatch for stored file ${entry.name}`);
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
			let output: Buffer;
			try {
				output = zlib.inflateRawSync(this.input.subarray(0, central.compressedSize), {maxOutputLength: Math.max(1, central.size), chunkSize: Math.max(zlib.constants.Z_MIN_CHUNK, central.size + 1)});
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipFormatError(`too many bytes in the stream of ${entry.name}`);
				throw new ZipFormatError(`${entry.name}: ${(error as Error).message}`);
			}
			if (output.length !== central.size) throw new ZipFormatError(`${entry.name} holds ${output.length} bytes, the directory says ${central.size}`);
			if (output.length > 0) yield output;
			return;
		}
		yield * this.inflateStream(entry, position, end, signal);
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
		readExactly(this.directory.fd, this.header, 30, central.localOffset);
		const signature = this.header.readUInt32LE(0);
		if (signature !== LOCAL) throw new ZipFormatError(`invalid local file header signature: 0x${signature.toString(16)} for ${entry.name}`);
		const start = central.localOffset + 30 + this.header.readUInt16LE(26) + this.header.readUInt16LE(28);
		if (start + central.compressedSize > this.directory.centralOffset) throw new ZipFormatError(`file data of ${entry.name} overflows file bounds`);
		return start;
	}
}

export function openZip(file: string): ZipReader {
	return ZipReader.open(file);
}

function describe(central: CentralEntry): ZipEntryInfo {
	const raw = central.name;
	if (raw.includes('\0')) throw new UnsafeEntryError(`invalid characters in fileName: ${JSON.stringify(raw)}`);
	if (/^[a-zA-Z]:/.test(raw) || raw.startsWith('/')) throw new UnsafeEntryError(`absolute path: ${raw}`);
	if (raw.split('/').includes('..')) throw new UnsafeEntryError(`invalid relative path: ${raw}`);
	const host = central.versionMadeBy >> 8;
	const unixMode = host === UNIX_HOST ? central.externalAttributes >>> 16 : 0;
	const mode = unixMode === 0 ? undefined : unixMode;
	const isDirectory = raw.endsWith('/') || (mode !== undefined && (mode & S_IFMT) === S_IFDIR);
	return {
		name: raw.replace(/\/+$/, ''),
		isDirectory,
		isSymlink: mode !== undefined && (mode & S_IFMT) === S_IFLNK,
		size: central.size,
		crc32: crcHex(central.crc),
		mode,
		mtime: central.unixMtime === undefined ? dosDate(central.dosDate, central.dosTime) : new Date(central.unixMtime * 1000),
		central,
	};
}

/** A DOS date and time, as local time (what zip tools write). */
function dosDate(date: number, time: number): Date {
	return new Date((date >> 9) + 1980, ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
}

/** Reads an entry to the end, computing its CRC-32; `onChunk` sees every chunk (valid only during the call) to write or count it. */
export async function readEntryChecked(
	reader: ZipReader,
	entry: ZipEntryInfo,
	onChunk?: (chunk: Buffer) => Promise<void> | void,
	signal?: AbortSignal,
): Promise<{crc32: string; bytes: number}> {
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
