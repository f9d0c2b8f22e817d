/**
 * Binary encoding of the zip records we write (APPNOTE 6.3.10): local header,
 * central directory record, the Zip64 (0x0001) and extended-timestamp (0x5455)
 * extras, and DOS date/time. Pure functions: no I/O.
 */
import {type EntryFields, type EntryMeta, DEFLATED} from './types.js';

export const MAX32 = 0xFFFFFFFF;
export const MAX16 = 0xFFFF;
/** Unix host (3) and spec version 6.3 (63): unzip, python and yauzl then read modes from the high word. */
export const VERSION_MADE_BY = (3 << 8) | 63;
const FLAG_UTF8 = 0x0800;
const LOCAL_FIXED = 30;
const CENTRAL_FIXED = 46;

/** Writes a number below 2^53 as an unsigned 64-bit little-endian value. */
export function writeUInt64(buffer: Buffer, value: number, offset: number): void {
	buffer.writeUInt32LE(value % 0x1_0000_0000, offset);
	buffer.writeUInt32LE(Math.floor(value / 0x1_0000_0000), offset + 4);
}

/** DOS date and time in local time, as zip does; clamped to the 1980..2107 range DOS can hold. */
export function dosDateTime(ms: number): {date: number; time: number} {
	const d = new Date(Number.isFinite(ms) ? ms : 0);
	const year = d.getFullYear();
	if (year < 1980) return {date: (1 << 5) | 1, time: 0};
	if (year > 2107) return {date: (127 << 9) | (12 << 5) | 31, time: (23 << 11) | (59 << 5) | 29};
	return {
		date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
		time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
	};
}

/** Unix seconds clamped to the signed 32-bit field of the 0x5455 extra. */
export function unixSeconds(ms: number): number {
	const s = Math.floor((Number.isFinite(ms) ? ms : 0) / 1000);
	return Math.min(0x7FFFFFFF, Math.max(-0x80000000, s));
}

/** The bits-1-2 hint of the deflate level (Info-ZIP sets it; readers ignore it). */
export function generalPurposeFlags(method: number, level: number): number {
	if (method !== DEFLATED) return FLAG_UTF8;
	const hint = level >= 8 ? 0x2 : level === 1 ? 0x6 : level === 2 ? 0x4 : 0;
	return FLAG_UTF8 | hint;
}

/** Writes the 0x5455 extra at `at`: flags 0x03 with mtime and atime locally, the same flags but mtime only centrally (Info-ZIP's layout). */
function writeTimestampExtra(meta: EntryMeta, local: boolean, target: Buffer, at: number): number {
	target.writeUInt16LE(0x5455, at);
	target.writeUInt16LE(local ? 9 : 5, at + 2);
	target.writeUInt8(0x03, at + 4);
	target.writeInt32LE(meta.mtime, at + 5);
	if (local) target.writeInt32LE(meta.atime, at + 9);
	return at + (local ? 13 : 9);
}

function writeZip64Extra(values: number[], target: Buffer, at: number): number {
	target.writeUInt16LE(0x0001, at);
	target.writeUInt16LE(8 * values.length, at + 2);
	values.forEach((value, i) => writeUInt64(target, value, at + 4 + 8 * i));
	return at + 4 + 8 * values.length;
}

/** Fields of the central record that overflow 32 bits and so go to its Zip64 extra, in APPNOTE order. */
function centralZip64Values(f: EntryFields): number[] {
	return [f.size, f.compressedSize, f.offset].filter(value => value >= MAX32);
}

/** Depends only on meta, so a header written with placeholders can be overwritten in place once CRC and sizes are known. */
export function localHeaderSize(meta: EntryMeta): number {
	return LOCAL_FIXED + meta.nameBytes.length + (meta.zip64Local ? 20 : 0) + 13;
}

/**
 * Encodes the local header at `at` (localHeaderSize bytes). With meta.zip64Local
 * both sizes live in the Zip64 extra (the 32-bit fields hold 0xFFFFFFFF), which is
 * where Java's ZipInputStream looks for them. Encoding in place, rather than into
 * new Buffers, keeps per-entry garbage low: with 200,000 entries small Buffers
 * were what grew the RSS.
 */
export function encodeLocalHeader(f: EntryFields, target: Buffer, at: number): void {
	const {meta} = f;
	const zip64 = meta.zip64Local;
	target.writeUInt32LE(0x04034B50, at);
	target.writeUInt16LE(zip64 ? 45 : 20, at + 4);
	target.writeUInt16LE(f.flags, at + 6);
	target.writeUInt16LE(f.method, at + 8);
	target.writeUInt16LE(meta.dosTime, at + 10);
	target.writeUInt16LE(meta.dosDate, at + 12);
	target.writeUInt32LE(f.crc >>> 0, at + 14);
	target.writeUInt32LE(zip64 ? MAX32 : f.compressedSize, at + 18);
	target.writeUInt32LE(zip64 ? MAX32 : f.size, at + 22);
	target.writeUInt16LE(meta.nameBytes.length, at + 26);
	target.writeUInt16LE(localHeaderSize(meta) - LOCAL_FIXED - meta.nameBytes.length, at + 28);
	let next = at + LOCAL_FIXED + meta.nameBytes.copy(target, at + LOCAL_FIXED);
	if (zip64) next = writeZip64Extra([f.size, f.compressedSize], target, next);
	writeTimestampExtra(meta, true, target, next);
}

export function centralRecordSize(f: EntryFields): number {
	const big = centralZip64Values(f).length;
	return CENTRAL_FIXED + f.meta.nameBytes.length + (big > 0 ? 4 + 8 * big : 0) + 9;
}

/** Encodes the central directory record at `at` (centralRecordSize bytes). */
export function encodeCentralRecord(f: EntryFields, target: Buffer, at: number): void {
	const {meta} = f;
	const big = centralZip64Values(f);
	target.writeUInt32LE(0x02014B50, at);
	target.writeUInt16LE(VERSION_MADE_BY, at + 4);
	target.writeUInt16LE(big.length > 0 || meta.zip64Local ? 45 : 20, at + 6);
	target.writeUInt16LE(f.flags, at + 8);
	target.writeUInt16LE(f.method, at + 10);
	target.writeUInt16LE(meta.dosTime, at + 12);
	target.writeUInt16LE(meta.dosDate, at + 14);
	target.writeUInt32LE(f.crc >>> 0, at + 16);
	target.writeUInt32LE(Math.min(f.compressedSize, MAX32), at + 20);
	target.writeUInt32LE(Math.min(f.size, MAX32), at + 24);
	target.writeUInt16LE(meta.nameBytes.length, at + 28);
	target.writeUInt16LE(centralRecordSize(f) - CENTRAL_FIXED - meta.nameBytes.length, at + 30);
	target.writeUInt32LE(0, at + 32); // comment length, disk number start
	target.writeUInt16LE(0, at + 36); // internal attributes
	target.writeUInt32LE(meta.externalAttributes, at + 38);
	target.writeUInt32LE(Math.min(f.offset, MAX32), at + 42);
	let next = at + CENTRAL_FIXED + meta.nameBytes.copy(target, at + CENTRAL_FIXED);
	if (big.length > 0) next = writeZip64Extra(big, target, next);
	writeTimestampExtra(meta, false, target, next);
}

/** A record encoder with its size, for Output.writeWith and CentralDirectory.add. */
export interface Encoded {
	size: number;
	encode(target: Buffer, at: number): void;
}

export const localHeader = (f: EntryFields): Encoded => ({size: localHeaderSize(f.meta), encode: (target, at) => encodeLocalHeader(f, target, at)});
export const centralRecord = (f: EntryFields): Encoded => ({size: centralRecordSize(f), encode: (target, at) => encodeCentralRecord(f, target, at)});
