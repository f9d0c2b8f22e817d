/** What the central directory says of an entry, in the form readers use; nothing here reads entry data. */
import {type CentralEntry, ZipFormatError} from './central-reader.js';

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
	/** From the extended timestamp when there is one (to the second), else the DOS time (2 s, local time). */
	mtime: Date;
	central: CentralEntry;
}

/** An entry name that would land outside the folder it is extracted into. */
export class UnsafeEntryError extends Error {}

export const crcHex = (crc: number) => (crc >>> 0).toString(16).padStart(8, '0');

export function checkMethod(entry: ZipEntryInfo): void {
	const {central} = entry;
	if ((central.flags & 1) !== 0) throw new ZipFormatError(`${entry.name} is encrypted, which is not supported`);
	if (central.method !== 0 && central.method !== 8) throw new ZipFormatError(`${entry.name} uses compression method ${central.method}; only stored (0) and deflated (8) are supported`);
	if (central.method === 0 && central.compressedSize !== central.size) throw new ZipFormatError(`compressed/uncompressed size mismatch for stored file ${entry.name}`);
}

export function describe(central: CentralEntry): ZipEntryInfo {
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
