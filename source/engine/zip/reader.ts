import type {Readable} from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

/**
 * A thin promise wrapper around yauzl for reading backups. Entries come one at a
 * time from the central directory (lazyEntries), so a million-entry zip is never
 * held as a list. yauzl checks entry sizes but NOT CRC-32 (its README, "No CRC-32
 * Checking"): `readEntryChecked` computes the CRC itself.
 */

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** "Version made by" host 3 is Unix: only then do the top 16 external-attribute bits hold a mode. */
const UNIX_HOST = 3;

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
	mtime: Date;
	raw: yauzl.Entry;
}

export interface ZipReader {
	entryCount: number;
	/** Walks the central directory once; a reader supports one walk. */
	entries(): AsyncGenerator<ZipEntryInfo>;
	openEntry(entry: ZipEntryInfo): Promise<Readable>;
	close(): void;
}

export const crcHex = (crc: number) => (crc >>> 0).toString(16).padStart(8, '0');

function describe(entry: yauzl.Entry): ZipEntryInfo {
	const raw = entry.fileName;
	const host = entry.versionMadeBy >> 8;
	const unixMode = host === UNIX_HOST ? entry.externalFileAttributes >>> 16 : 0;
	const mode = unixMode === 0 ? undefined : unixMode;
	const isDirectory = raw.endsWith('/') || (mode !== undefined && (mode & S_IFMT) === S_IFDIR);
	return {
		name: raw.replace(/\/+$/, ''),
		isDirectory,
		isSymlink: mode !== undefined && (mode & S_IFMT) === S_IFLNK,
		size: entry.uncompressedSize,
		crc32: crcHex(entry.crc32),
		mode,
		mtime: entry.getLastModDate(),
		raw: entry,
	};
}

/**
 * Opens a zip. Entry names that are absolute, hold `..` segments (backslashes
 * count as separators, so `..\x` is caught too) make `entries()` throw an
 * UnsafeEntryError before that entry is returned.
 */
export async function openZip(file: string): Promise<ZipReader> {
	const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
		yauzl.open(file, {lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false}, (error, opened) => {
			if (error) reject(error);
			else resolve(opened);
		});
	});

	const nextEntry = () => new Promise<yauzl.Entry | undefined>((resolve, reject) => {
		const onEntry = (entry: yauzl.Entry) => { cleanup(); resolve(entry); };
		const onEnd = () => { cleanup(); resolve(undefined); };
		const onError = (error: Error) => { cleanup(); reject(unsafeOr(error)); };
		const cleanup = () => {
			zip.off('entry', onEntry);
			zip.off('end', onEnd);
			zip.off('error', onError);
		};
		zip.on('entry', onEntry);
		zip.on('end', onEnd);
		zip.on('error', onError);
		zip.readEntry();
	});

	return {
		entryCount: zip.entryCount,
		async * entries() {
			for (let entry = await nextEntry(); entry; entry = await nextEntry()) yield describe(entry);
		},
		openEntry: entry => new Promise<Readable>((resolve, reject) => {
			zip.openReadStream(entry.raw, (error, stream) => {
				if (error) reject(error);
				else resolve(stream);
			});
		}),
		close: () => zip.close(),
	};
}

/** An entry name that would land outside the folder it is extracted into. */
export class UnsafeEntryError extends Error {}

function unsafeOr(error: Error): Error {
	// yauzl's validateFileName wording (index.js): these three are about the name, not damage.
	return /^(absolute path|invalid relative path|invalid characters in fileName): /.test(error.message)
		? new UnsafeEntryError(error.message)
		: error;
}

/** Reads an entry to the end, computing its CRC-32; `onChunk` sees every chunk (to write it, or count it). */
export async function readEntryChecked(
	reader: ZipReader,
	entry: ZipEntryInfo,
	onChunk?: (chunk: Buffer) => Promise<void> | void,
	signal?: AbortSignal,
): Promise<{crc32: string; bytes: number}> {
	const stream = await reader.openEntry(entry);
	let crc = 0;
	let bytes = 0;
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			if (signal?.aborted) break;
			crc = zlib.crc32(chunk, crc);
			bytes += chunk.length;
			if (onChunk) await onChunk(chunk);
		}
	} finally {
		stream.destroy();
	}
	return {crc32: crcHex(crc), bytes};
}

/** The first `count` bytes of an entry (for `#!` sniffing and manifest headers), reading no further. */
export async function readEntryStart(reader: ZipReader, entry: ZipEntryInfo, count: number): Promise<Buffer> {
	const stream = await reader.openEntry(entry);
	const parts: Buffer[] = [];
	let length = 0;
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			parts.push(chunk);
			length += chunk.length;
			if (length >= count) break;
		}
	} finally {
		stream.destroy();
	}
	return Buffer.concat(parts).subarray(0, count);
}
