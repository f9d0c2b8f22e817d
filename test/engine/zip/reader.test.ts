import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {openZip, readEntryChecked, readEntryStart, ZipFormatError, type ZipEntryInfo, type ZipReader} from '../../../source/engine/zip/reader.js';
import {pythonZip, tempDir} from '../../support/catalog-helpers.js';

/** Text that deflates well but not trivially (what logs and segment tars look like to zlib). */
function logText(bytes: number, seed: number): Buffer {
	const random = crypto.createHash('sha256').update(String(seed));
	const lines: string[] = [];
	let length = 0;
	for (let line = 0; length < bytes; line++) {
		const id = random.copy().update(String(line)).digest('hex').slice(0, 12);
		const text = `2026-11-28 03:${String(line % 60).padStart(2, '0')} *INFO* [qtp-${line % 97}] org.apache.sling.Request ${id} /content/page-${line % 1013}.html 200\n`;
		lines.push(text);
		length += text.length;
	}
	return Buffer.from(lines.join('')).subarray(0, bytes);
}

async function entriesOf(reader: ZipReader): Promise<Map<string, ZipEntryInfo>> {
	const entries = new Map<string, ZipEntryInfo>();
	for await (const entry of reader.entries()) entries.set(entry.name, entry);
	return entries;
}

async function contentOf(reader: ZipReader, entry: ZipEntryInfo): Promise<{data: Buffer; crc32: string}> {
	const parts: Buffer[] = [];
	const {crc32} = await readEntryChecked(reader, entry, chunk => { parts.push(Buffer.from(chunk)); });
	return {data: Buffer.concat(parts), crc32};
}

/** Offset of the central record of `name` (its signature). */
function centralRecordOf(data: Buffer, name: string): number {
	for (let at = data.indexOf('PK\u0001\u0002'); at !== -1; at = data.indexOf('PK\u0001\u0002', at + 4)) {
		if (data.subarray(at + 46, at + 46 + data.readUInt16LE(at + 28)).toString('latin1') === name) return at;
	}
	throw new Error(`no central record for ${name}`);
}

function dataStartOf(data: Buffer, name: string): number {
	const local = data.readUInt32LE(centralRecordOf(data, name) + 42);
	return local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
}

describe('the zip reader (our zips are read back by unzip, python and yauzl in zip-writer.test.ts; here zips python wrote are read by ours)', () => {
	const big = logText(6 * 1024 * 1024 + 123, 1); // Over the 4 MiB one-call limit: inflated as a stream.
	const small = logText(2 * 1024 * 1024, 2); // Inflated in one synchronous call.
	const random = crypto.randomBytes(300_000);
	// tempDir folders are removed after each test: every test writes its own copy of the zip.
	const workDir = tempDir('crx-reader-');
	const zip = pythonZip(path.join(workDir, 'mixed.zip'), [
		{name: 'crx-quickstart/', external: (0o040755 << 16) >>> 0},
		{name: 'crx-quickstart/logs/error.log', hex: big.toString('hex'), external: (0o100644 << 16) >>> 0},
		{name: 'crx-quickstart/logs/request.log', hex: small.toString('hex'), external: (0o100640 << 16) >>> 0},
		{name: 'crx-quickstart/blob', hex: random.toString('hex'), external: (0o100600 << 16) >>> 0},
		{name: 'crx-quickstart/empty', hex: '', external: (0o100644 << 16) >>> 0},
		{name: 'crx-quickstart/cafe.txt', text: 'caf\u00e9 in a cp437 name\n', external: (0o100644 << 16) >>> 0},
	]);
	// Make "cafe.txt" a name in code page 437 (the zip default without the UTF-8 flag): 0x82 is é there.
	const original = fs.readFileSync(zip);
	const withCp437 = Buffer.from(original);
	for (let at = withCp437.indexOf('cafe.txt'); at !== -1; at = withCp437.indexOf('cafe.txt', at + 1)) withCp437[at + 3] = 0x82;
	const fresh = () => {
		const root = tempDir('crx-reader-');
		const file = path.join(root, 'mixed.zip');
		fs.writeFileSync(file, withCp437);
		return {root, zip: file};
	};

	it('reads names, modes, sizes and data of deflated (stream and one-call), stored and empty entries, with CRCs that match', async () => {
		const reader = openZip(fresh().zip);
		try {
			const entries = await entriesOf(reader);
			expect([...entries.keys()]).toEqual(['crx-quickstart', 'crx-quickstart/logs/error.log', 'crx-quickstart/logs/request.log', 'crx-quickstart/blob', 'crx-quickstart/empty', 'crx-quickstart/caf\u00e9.txt']);
			expect(reader.entryCount).toBe(6);
			expect(entries.get('crx-quickstart')).toMatchObject({isDirectory: true, mode: 0o040755});
			for (const [name, expected, mode] of [
				['crx-quickstart/logs/error.log', big, 0o100644],
				['crx-quickstart/logs/request.log', small, 0o100640],
				['crx-quickstart/blob', random, 0o100600],
				['crx-quickstart/empty', Buffer.alloc(0), 0o100644],
			] as const) {
				const entry = entries.get(name)!;
				expect(entry).toMatchObject({size: expected.length, mode, isDirectory: false, isSymlink: false});
				const read = await contentOf(reader, entry);
				expect(read.data.equals(expected), name).toBe(true);
				expect(read.crc32).toBe(entry.crc32);
				expect(entry.crc32).toBe((zlib.crc32(expected) >>> 0).toString(16).padStart(8, '0'));
			}
			expect(entries.get('crx-quickstart/logs/error.log')!.central.method).toBe(8);
			expect((await readEntryStart(reader, entries.get('crx-quickstart/logs/error.log')!, 10)).toString()).toBe(big.subarray(0, 10).toString());
			expect((await contentOf(reader, entries.get('crx-quickstart/caf\u00e9.txt')!)).data.toString()).toBe('caf\u00e9 in a cp437 name\n');
		} finally {
			reader.close();
		}
	});

	/** Applies `damage` to a copy of the zip and returns the error (or CRC mismatch) reading `name` gives. */
	async function readDamaged(name: string, damage: (data: Buffer) => void): Promise<string> {
		const data = Buffer.from(withCp437);
		damage(data);
		const copy = path.join(fresh().root, 'damaged.zip');
		fs.writeFileSync(copy, data);
		const reader = openZip(copy);
		try {
			const entry = (await entriesOf(reader)).get(name)!;
			const read = await readEntryChecked(reader, entry);
			return read.crc32 === entry.crc32 ? 'read fine' : `CRC-32 ${read.crc32}, expected ${entry.crc32}`;
		} catch (error) {
			expect(error).toBeInstanceOf(ZipFormatError);
			return (error as Error).message;
		} finally {
			reader.close();
		}
	}

	it('notices damage in deflated data read as a stream and in one call: bad bits, a size that lies, a wrong offset', async () => {
		for (const name of ['crx-quickstart/logs/error.log', 'crx-quickstart/logs/request.log']) {
			expect(await readDamaged(name, data => { data[dataStartOf(data, name) + 50_000]! ^= 0x55; }), name).not.toBe('read fine');
			// The central directory says fewer bytes than the data inflates to: refused, not written past the size.
			expect(await readDamaged(name, data => { data.writeUInt32LE(1000, centralRecordOf(data, name) + 24); }), name).toMatch(/too many bytes/);
			expect(await readDamaged(name, data => { data.writeUInt32LE(data.readUInt32LE(centralRecordOf(data, name) + 42) + 3, centralRecordOf(data, name) + 42); }), name).toMatch(/local file header/);
		}
		expect(await readDamaged('crx-quickstart/blob', data => { data[dataStartOf(data, 'crx-quickstart/blob') + 7]! ^= 1; })).toMatch(/^CRC-32/);
	});

	it('refuses a file that is not a zip, and a zip whose end record is cut, with ZipFormatError', () => {
		const {root} = fresh();
		const notZip = path.join(root, 'not.zip');
		fs.writeFileSync(notZip, 'just text, no end record here\n'.repeat(10));
		expect(() => openZip(notZip)).toThrow(ZipFormatError);
		const cut = path.join(root, 'cut.zip');
		fs.writeFileSync(cut, withCp437.subarray(0, withCp437.length - 5));
		expect(() => openZip(cut)).toThrow(/end of central directory/);
	});
});
