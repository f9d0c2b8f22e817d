/**
 * The records after the central directory: the end of central directory record,
 * preceded by the Zip64 end record and its locator when the entry count or the
 * directory's size or offset do not fit the classic fields.
 */
import {MAX16, MAX32, VERSION_MADE_BY, writeUInt64} from './records.js';

export interface DirectoryExtent {
	entries: number;
	/** Offset of the first central directory record. */
	offset: number;
	size: number;
}

export function needsZip64End({entries, offset, size}: DirectoryExtent): boolean {
	return entries > MAX16 || offset >= MAX32 || size >= MAX32;
}

export function endRecords(extent: DirectoryExtent): Buffer {
	const {entries, offset, size} = extent;
	const parts: Buffer[] = [];
	if (needsZip64End(extent)) {
		const record = Buffer.alloc(56);
		record.writeUInt32LE(0x06064B50, 0);
		writeUInt64(record, 44, 4); // size of the rest of this record
		record.writeUInt16LE(VERSION_MADE_BY, 12);
		record.writeUInt16LE(45, 14);
		// Disk numbers at 16 and 20 stay 0: one-disk archive.
		writeUInt64(record, entries, 24);
		writeUInt64(record, entries, 32);
		writeUInt64(record, size, 40);
		writeUInt64(record, offset, 48);
		const locator = Buffer.alloc(20);
		locator.writeUInt32LE(0x07064B50, 0);
		writeUInt64(locator, offset + size, 8); // the Zip64 end record follows the directory
		locator.writeUInt32LE(1, 16);
		parts.push(record, locator);
	}

	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054B50, 0);
	end.writeUInt16LE(Math.min(entries, MAX16), 8);
	end.writeUInt16LE(Math.min(entries, MAX16), 10);
	end.writeUInt32LE(Math.min(size, MAX32), 12);
	end.writeUInt32LE(Math.min(offset, MAX32), 16);
	parts.push(end);
	return Buffer.concat(parts);
}
