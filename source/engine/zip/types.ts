/** Public and internal types of the streaming zip writer. */

export interface ZipEntryInput {
	/** Posix path inside the zip; a directory ends with '/' (added when missing). */
	name: string;
	kind: 'file' | 'dir';
	/** Absolute path of the file to read (kind 'file'); the file is static (a staging copy). */
	source?: string;
	/** Size from the stat taken before; when the file's size turns out different, the writer fails with an Error naming the file. Stat'ed when missing. */
	size?: number;
	/** Full st_mode bits incl. permission bits, e.g. 0o100755 or 0o40700; the type bits are taken from `kind`. */
	mode: number;
	mtimeMs: number;
	/** Defaults to mtimeMs. */
	atimeMs?: number;
	/** The CRC-32 the data must have (read earlier): a mismatch fails the writer, naming the file. */
	expectCrc32?: number;
	/** The source is a live file, not a static copy: opened non-blocking, and a vanished file is reported as such. */
	live?: boolean;
}

export interface ZipWriterOptions {
	/** Deflate level, default 6. */
	level?: number;
	/**
	 * Pieces deflated at once, default os.availableParallelism(). Deflates and file
	 * reads share libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), so more than
	 * about 3 only helps when the process raises that pool size at startup.
	 */
	concurrency?: number;
	/** Abort: the writer stops between pieces and its calls reject with a cancelled CrxError. */
	signal?: AbortSignal;
	/** Called as source bytes are read, with the bytes read since the previous call (a delta, not a running total). */
	onProgress?: (bytesRead: number, name: string) => void;
	/**
	 * The zip file was reserved beforehand (an empty file of ours, made with
	 * O_EXCL): open it without creating or following, instead of creating it.
	 */
	reserved?: boolean;
	/** Where the central directory spills when it outgrows memory; default `<zipPath>.cd.tmp`. */
	spillPath?: string;
}

export interface ZipSummary {
	entries: number;
	/** Size of the finished zip file. */
	bytes: number;
}

export const STORED = 0;
export const DEFLATED = 8;
export type Method = typeof STORED | typeof DEFLATED;

/** What is known about an entry before its data is read; encoded into both its headers. */
export interface EntryMeta {
	name: string;
	nameBytes: Buffer;
	isDir: boolean;
	/** Declared uncompressed size. */
	size: number;
	/** Zip64 extra in the local header, decided up front because the header is patched in place. */
	zip64Local: boolean;
	externalAttributes: number;
	dosTime: number;
	dosDate: number;
	/** Unix seconds for the 0x5455 extra. */
	mtime: number;
	atime: number;
}

/** Everything a local header or central directory record needs. */
export interface EntryFields {
	meta: EntryMeta;
	method: Method;
	flags: number;
	crc: number;
	compressedSize: number;
	size: number;
	/** Offset of the local header in the zip. */
	offset: number;
}

/** Memory taken from the piece budget; release() exactly once, after the data is written. */
export interface Slot {
	buffer?: Buffer;
	release(): void;
}

/** An entry whose data is read and compressed in one go: directories, empty and single-piece files. */
export interface WholeData {
	raw: Buffer;
	crc: number;
	/** Null when the entry is stored. */
	compressed: Buffer | null;
	release(): void;
}

/** What the producer (add) hands to the sink, in zip order. */
export type SinkItem =
	| {type: 'whole'; meta: EntryMeta; data: Promise<WholeData>}
	| {type: 'begin'; meta: EntryMeta; method: Promise<Method>}
	| {type: 'piece'; data: Promise<Buffer>; release(): void}
	| {type: 'end'; crc: number; size: number};
