/** Turns what add() is given into the fixed part of an entry's headers, refusing names a restore could not use safely. */
import {usageError} from '../platform/errors.js';
import {MAX16, MAX32, dosDateTime, unixSeconds} from './records.js';
import type {EntryMeta} from './types.js';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const DOS_DIRECTORY = 0x10;
/**
 * Deflate can grow incompressible data by about 0.01 % (5 bytes per stored block,
 * 5 per piece flush). An entry this close to 4 GiB gets Zip64 in its local header
 * up front, because the header is patched in place and cannot grow later.
 */
const ZIP64_MARGIN = 16 * 1024 * 1024;

export function zip64LocalFor(size: number): boolean {
	return size >= MAX32 - ZIP64_MARGIN;
}

export function validName(name: string, kind: 'file' | 'dir'): string {
	const full = kind === 'dir' && !name.endsWith('/') ? `${name}/` : name;
	const parts = full.split('/').slice(0, kind === 'dir' ? -1 : undefined);
	if (full.length === 0 || full.startsWith('/') || full.includes('\\') || full.includes('\0')
		|| parts.some(part => part === '' || part === '.' || part === '..')) {
		throw usageError(`"${name}" cannot be a name inside a zip: use a relative posix path without empty, "." or ".." parts.`);
	}

	return full;
}

export function entryMeta(input: {name: string; kind: 'file' | 'dir'; mode: number; mtimeMs: number; atimeMs?: number}, size: number): EntryMeta {
	const name = validName(input.name, input.kind);
	const nameBytes = Buffer.from(name, 'utf8');
	if (nameBytes.length > MAX16) throw usageError(`"${name.slice(0, 60)}…" is longer than the 65,535 bytes a zip name can hold.`);
	const isDir = input.kind === 'dir';
	// The type bits come from kind, so unzip, python and yauzl all recognise files and directories.
	const mode = (input.mode & 0o7777) | (isDir ? S_IFDIR : S_IFREG);
	const {date, time} = dosDateTime(input.mtimeMs);
	return {
		name,
		nameBytes,
		isDir,
		size: isDir ? 0 : size,
		zip64Local: !isDir && zip64LocalFor(size),
		externalAttributes: (mode * 0x10000 + (isDir ? DOS_DIRECTORY : 0)) >>> 0,
		dosTime: time,
		dosDate: date,
		mtime: unixSeconds(input.mtimeMs),
		atime: unixSeconds(input.atimeMs ?? input.mtimeMs),
	};
}
