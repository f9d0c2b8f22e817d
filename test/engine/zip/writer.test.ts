import {spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ZipWriter} from '../../../source/engine/zip/writer.js';
import {python as pythonTool, run as runTool} from '../../support/tools.js';
import {projectRoot} from '../../support/cli.js';

const repoRoot = projectRoot;
const writerModule = path.join(repoRoot, 'source/engine/zip/writer.ts');
/** A fixed mtime with a fraction, in the past and in DST-free January. */
const MTIME = new Date('2021-01-04T05:06:07.890Z');

let temp: string;
beforeEach(() => {
	temp = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-zip-writer-'));
});
afterEach(() => {
	fs.rmSync(temp, {recursive: true, force: true});
});

const run = (command: string, args: string[], cwd = temp) => runTool(command, args, cwd);
const python = (script: string, ...args: string[]) => pythonTool(temp, script, ...args);

interface ReadEntry {
	name: string;
	data: Buffer;
	method: number;
	compressedSize: number;
	mode: number;
	flags: number;
}

/** Reads every entry with yauzl, checking the CRC itself (yauzl does not). */
async function readWithYauzl(zipPath: string): Promise<Map<string, ReadEntry>> {
	const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
		yauzl.open(zipPath, {lazyEntries: true, decodeStrings: true}, (error, file) => (error ? reject(error) : resolve(file)));
	});
	const entries = new Map<string, ReadEntry>();
	await new Promise<void>((resolve, reject) => {
		zip.on('error', reject);
		zip.on('end', resolve);
		zip.on('entry', (entry: yauzl.Entry) => {
			zip.openReadStream(entry, (error, stream) => {
				if (error) return reject(error);
				const chunks: Buffer[] = [];
				stream.on('data', (chunk: Buffer) => chunks.push(chunk));
				stream.on('error', reject);
				stream.on('end', () => {
					const data = Buffer.concat(chunks);
					if (zlib.crc32(data) !== entry.crc32) return reject(new Error(`CRC mismatch in ${entry.fileName}`));
					entries.set(entry.fileName, {
						name: entry.fileName,
						data,
						method: entry.compressionMethod,
						compressedSize: entry.compressedSize,
						mode: entry.externalFileAttributes >>> 16,
						flags: entry.generalPurposeBitFlag,
					});
					zip.readEntry();
				});
			});
		});
		zip.readEntry();
	});
	zip.close();
	return entries;
}

interface Fixture {
	/** Relative path → what the tree holds. */
	files: Map<string, {data: Buffer; mode: number}>;
	dirs: Map<string, number>;
}

/** A small tree with the cases that break zips: modes, empties, incompressible and compressible data, an awkward name. */
function makeFixture(root: string): Fixture {
	const files = new Map<string, {data: Buffer; mode: number}>([
		['bin/start.sh', {data: Buffer.from('#!/bin/sh\necho started\n'), mode: 0o755}],
		['conf/secret.properties', {data: Buffer.from('admin.password=changeit\n'), mode: 0o600}],
		['empty.txt', {data: Buffer.alloc(0), mode: 0o644}],
		['data/random.bin', {data: crypto.randomBytes(3 * 1024 * 1024), mode: 0o644}],
		['data/text.log', {data: Buffer.from(Array.from({length: 80_000}, (_, i) => `2021-01-04 05:06:07 *INFO* [worker-${i % 17}] jcr:content/node-${i} saved\n`).join('')).subarray(0, 5 * 1024 * 1024), mode: 0o644}],
		['Ünïcödé dir/a "quoted" \'name\' with spaces.txt', {data: Buffer.from('ünïcödé\n'), mode: 0o640}],
	]);
	const dirs = new Map<string, number>([['bin', 0o755], ['conf', 0o700], ['data', 0o755], ['empty-dir', 0o755], ['Ünïcödé dir', 0o755]]);
	for (const [name, mode] of dirs) fs.mkdirSync(path.join(root, name), {recursive: true, mode});
	for (const [name, {data, mode}] of files) {
		fs.writeFileSync(path.join(root, name), data);
		fs.chmodSync(path.join(root, name), mode);
		fs.utimesSync(path.join(root, name), MTIME, MTIME);
	}

	for (const [name, mode] of dirs) {
		fs.chmodSync(path.join(root, name), mode);
		fs.utimesSync(path.join(root, name), MTIME, MTIME);
	}

	return {files, dirs};
}

async function zipTree(root: string, fixture: Fixture, zipPath: string) {
	const writer = await ZipWriter.open(zipPath, {concurrency: 3});
	for (const name of fixture.dirs.keys()) {
		const stat = fs.statSync(path.join(root, name));
		await writer.add({name: `${name}/`, kind: 'dir', mode: stat.mode, mtimeMs: stat.mtimeMs, atimeMs: stat.atimeMs});
	}

	for (const name of fixture.files.keys()) {
		const source = path.join(root, name);
		const stat = fs.statSync(source);
		await writer.add({name, kind: 'file', source, size: stat.size, mode: stat.mode, mtimeMs: stat.mtimeMs, atimeMs: stat.atimeMs});
	}

	return writer.close();
}

describe('ZipWriter', () => {
	it('writes a zip that unzip, python, jar and yauzl all read back with modes and mtimes', async () => {
		const root = path.join(temp, 'tree');
		const fixture = makeFixture(root);
		const zipPath = path.join(temp, 'backup.zip');
		const summary = await zipTree(root, fixture, zipPath);

		expect(summary).toEqual({entries: fixture.files.size + fixture.dirs.size, bytes: fs.statSync(zipPath).size});
		expect(fs.statSync(zipPath).mode & 0o777).toBe(0o600);
		expect(fs.existsSync(`${zipPath}.cd.tmp`)).toBe(false);

		const test = run('unzip', ['-t', zipPath]);
		expect(test.stdout).toContain('No errors detected');
		expect(test.status).toBe(0);

		// unzip restores bytes, permission bits and second-precise mtimes (from the 0x5455 extra).
		const out = path.join(temp, 'unzipped');
		expect(run('unzip', ['-q', zipPath, '-d', out]).status).toBe(0);
		for (const [name, {data, mode}] of fixture.files) {
			const stat = fs.statSync(path.join(out, name));
			expect(fs.readFileSync(path.join(out, name)).equals(data), name).toBe(true);
			expect(stat.mode & 0o7777, name).toBe(mode);
			expect(Math.floor(stat.mtimeMs / 1000), name).toBe(Math.floor(MTIME.getTime() / 1000));
		}

		for (const [name, mode] of fixture.dirs) {
			const stat = fs.statSync(path.join(out, name));
			expect(stat.isDirectory()).toBe(true);
			expect(stat.mode & 0o7777, name).toBe(mode);
			expect(Math.floor(stat.mtimeMs / 1000), name).toBe(Math.floor(MTIME.getTime() / 1000));
		}

		const listing = python(`
import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "names": z.namelist(), "modes": {i.filename: i.external_attr >> 16 for i in z.infolist()}}))
`, zipPath);
		const parsed = JSON.parse(listing) as {bad: string | null; names: string[]; modes: Record<string, number>};
		expect(parsed.bad).toBeNull();
		expect(parsed.names).toEqual([...[...fixture.dirs.keys()].map(name => `${name}/`), ...fixture.files.keys()]);
		for (const [name, {mode}] of fixture.files) expect(parsed.modes[name], name).toBe(0o100000 | mode);
		for (const [name, mode] of fixture.dirs) expect(parsed.modes[`${name}/`], name).toBe(0o40000 | mode);

		// jar uses Java's streaming ZipInputStream: it needs sizes in the local headers (no data descriptors).
		const jarOut = path.join(temp, 'jar');
		fs.mkdirSync(jarOut);
		const jar = run('jar', ['xf', zipPath], jarOut);
		expect(jar.stderr).toBe('');
		expect(jar.status).toBe(0);
		for (const [name, {data}] of fixture.files) expect(fs.readFileSync(path.join(jarOut, name)).equals(data), name).toBe(true);

		const entries = await readWithYauzl(zipPath);
		expect(entries.size).toBe(fixture.files.size + fixture.dirs.size);
		for (const [name, {data, mode}] of fixture.files) {
			const entry = entries.get(name)!;
			expect(entry.data.equals(data), name).toBe(true);
			expect(entry.mode, name).toBe(0o100000 | mode);
			expect(entry.flags & 0x8, name).toBe(0); // no data descriptor
			expect(entry.flags & 0x800, name).toBe(0x800); // UTF-8 name
		}

		for (const [name, mode] of fixture.dirs) expect(entries.get(`${name}/`)!.mode).toBe(0o40000 | mode);
		expect(entries.get('data/random.bin')!.method).toBe(0);
		expect(entries.get('empty.txt')!.method).toBe(0);
		const text = entries.get('data/text.log')!;
		expect(text.method).toBe(8);
		expect(text.compressedSize).toBeLessThan(text.data.length / 10);
	});

	it('keeps entry order when an incompressible file of 512 KiB to 1 MiB follows buffered headers', async () => {
		// Regression: such a body was written straight to disk ahead of the header still in the output buffer.
		const names: string[] = [];
		for (const [index, size] of [600_000, 1_000_000, 524_288, 700_000].entries()) {
			const name = `blob${index}`;
			fs.writeFileSync(path.join(temp, name), crypto.randomBytes(size));
			fs.writeFileSync(path.join(temp, `${name}.txt`), 'small text '.repeat(10));
			names.push(`${name}.txt`, name);
		}
		const zipPath = path.join(temp, 'order.zip');
		const writer = await ZipWriter.open(zipPath);
		for (const name of names) {
			const stat = fs.statSync(path.join(temp, name));
			await writer.add({name, kind: 'file', source: path.join(temp, name), size: stat.size, mode: stat.mode, mtimeMs: stat.mtimeMs});
		}
		await writer.close();
		expect(run('unzip', ['-tq', zipPath]).status).toBe(0);
		const entries = await readWithYauzl(zipPath);
		for (const name of names) expect(entries.get(name)!.data.equals(fs.readFileSync(path.join(temp, name))), name).toBe(true);
	});

	it('reads many small files concurrently and keeps them in add() order', async () => {
		const root = path.join(temp, 'small');
		const names: string[] = [];
		for (let i = 0; i < 2000; i++) {
			const name = `d${i % 20}/f${i}.txt`;
			fs.mkdirSync(path.join(root, `d${i % 20}`), {recursive: true});
			fs.writeFileSync(path.join(root, name), `file ${i} `.repeat(i % 50));
			names.push(name);
		}

		const zipPath = path.join(temp, 'small.zip');
		let progress = 0;
		const writer = await ZipWriter.open(zipPath, {onProgress: bytes => (progress += bytes)});
		for (const name of names) {
			const source = path.join(root, name);
			const stat = fs.statSync(source);
			await writer.add({name, kind: 'file', source, size: stat.size, mode: stat.mode, mtimeMs: stat.mtimeMs});
		}

		await writer.close();
		const total = names.reduce((sum, name) => sum + fs.statSync(path.join(root, name)).size, 0);
		expect(progress).toBe(total);
		expect(run('unzip', ['-tq', zipPath]).status).toBe(0);
		expect(run('unzip', ['-Z1', zipPath]).stdout.trim().split('\n')).toEqual(names);
		const entries = await readWithYauzl(zipPath);
		for (const name of names) expect(entries.get(name)!.data.equals(fs.readFileSync(path.join(root, name))), name).toBe(true);
	});

	it('writes a Zip64 end record for 70,000 entries that unzip and python accept', async () => {
		const zipPath = path.join(temp, 'many.zip');
		const writer = await ZipWriter.open(zipPath);
		for (let i = 0; i < 70_000; i++) {
			if (i % 1000 === 0) await writer.add({name: `dir${i / 1000}/`, kind: 'dir', mode: 0o755, mtimeMs: MTIME.getTime()});
			await writer.addBuffer(`dir${Math.floor(i / 1000)}/entry-${i}.txt`, Buffer.from(i % 3 === 0 ? '' : `entry ${i} `.repeat(i % 7)), {mode: 0o644, mtimeMs: MTIME.getTime()});
		}

		expect((await writer.close()).entries).toBe(70_070);
		const test = run('unzip', ['-t', zipPath]);
		expect(test.status).toBe(0);
		expect(test.stdout).toContain('No errors detected');
		expect(test.stdout.match(/^ +testing: /gm)).toHaveLength(70_070);
		const counted = python(`
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(len(z.infolist()), sum(1 for i in z.infolist() if not i.is_dir()))
`, zipPath);
		expect(counted.trim()).toBe('70070 70000');
	});

	it('keeps peak memory flat for 200,000 entries', () => {
		const zipPath = path.join(temp, 'flat.zip');
		const script = path.join(temp, 'flat.mts');
		// Empty-ish entries: mostly empty files and directories, every 8th with a little text to deflate.
		fs.writeFileSync(script, `
import {ZipWriter} from ${JSON.stringify(writerModule)};
const writer = await ZipWriter.open(process.argv[2]);
const mtimeMs = Date.now();
const text = Buffer.from('jcr:primaryType=nt:unstructured\\n');
for (let i = 0; i < 200_000; i++) {
	if (i % 500 === 0) await writer.add({name: 'folder-' + i + '/', kind: 'dir', mode: 0o755, mtimeMs});
	await writer.addBuffer('folder-' + (i - i % 500) + '/a/somewhat/deeper/path/node-' + i + '.xml', i % 8 === 0 ? text : Buffer.alloc(0), {mode: 0o644, mtimeMs});
}
const summary = await writer.close();
console.log(JSON.stringify({...summary, maxRssKiB: process.resourceUsage().maxRSS}));
`);
		const child = spawnSync(process.execPath, ['--import', 'tsx', script, zipPath], {cwd: repoRoot, encoding: 'utf8'});
		expect(child.stderr).toBe('');
		const result = JSON.parse(child.stdout) as {entries: number; bytes: number; maxRssKiB: number};
		expect(result.entries).toBe(200_400);
		expect(result.maxRssKiB / 1024).toBeLessThan(150);
		// The central directory (~20 MiB here) went through the temp file, which is gone.
		expect(fs.existsSync(`${zipPath}.cd.tmp`)).toBe(false);
		expect(run('unzip', ['-tq', zipPath]).status).toBe(0);
	});

	it('refuses an existing path and leaves it untouched', async () => {
		const zipPath = path.join(temp, 'exists.zip');
		fs.writeFileSync(zipPath, 'precious');
		await expect(ZipWriter.open(zipPath)).rejects.toMatchObject({code: 'EEXIST'});
		expect(fs.readFileSync(zipPath, 'utf8')).toBe('precious');
	});

	it('abort() closes the file and removes its temp files, even after the directory spilled', async () => {
		const zipPath = path.join(temp, 'aborted.zip');
		const writer = await ZipWriter.open(zipPath);
		// ~100 bytes of directory per entry: 100,000 entries pass the 2 MiB spill threshold many times over.
		for (let i = 0; i < 100_000; i++) await writer.addBuffer(`some/longer/folder/path/for/spilling/entry-number-${i}.txt`, Buffer.alloc(0), {mode: 0o644, mtimeMs: MTIME.getTime()});
		expect(fs.existsSync(`${zipPath}.cd.tmp`)).toBe(true);
		await writer.abort();
		expect(fs.readdirSync(temp)).toEqual(['aborted.zip']);
		await expect(writer.add({name: 'late', kind: 'dir', mode: 0o755, mtimeMs: 0})).rejects.toThrow();
		await writer.abort(); // idempotent
	});

	it('stops on the abort signal between pieces with a cancelled error', async () => {
		const source = path.join(temp, 'big.bin');
		fs.writeFileSync(source, Buffer.alloc(64 * 1024 * 1024, 'a'));
		const controller = new AbortController();
		const zipPath = path.join(temp, 'signalled.zip');
		const writer = await ZipWriter.open(zipPath, {signal: controller.signal, onProgress: () => controller.abort()});
		await expect(writer.add({name: 'big.bin', kind: 'file', source, size: 64 * 1024 * 1024, mode: 0o644, mtimeMs: 0})).rejects.toMatchObject({kind: 'cancelled'});
		await expect(writer.close()).rejects.toMatchObject({kind: 'cancelled'});
		await writer.abort();
		expect(fs.readdirSync(temp).sort()).toEqual(['big.bin', 'signalled.zip']);
		expect(fs.statSync(zipPath).size).toBeLessThan(16 * 1024 * 1024);
	});

	it('fails naming the file when its size differs from the stat taken before', async () => {
		const source = path.join(temp, 'grown.txt');
		fs.writeFileSync(source, 'now longer than it was');
		const writer = await ZipWriter.open(path.join(temp, 'size.zip'));
		await writer.add({name: 'grown.txt', kind: 'file', source, size: 5, mode: 0o644, mtimeMs: 0});
		await expect(writer.close()).rejects.toThrow(source);
		await writer.abort();
	});

	it('refuses names that would escape the restore folder', async () => {
		const writer = await ZipWriter.open(path.join(temp, 'names.zip'));
		for (const name of ['../evil', '/abs', 'a/../b', 'a//b']) {
			await expect(writer.addBuffer(name, Buffer.from('x'), {mode: 0o644, mtimeMs: 0})).rejects.toMatchObject({kind: 'usage'});
		}

		await writer.addBuffer('fine.txt', Buffer.from('x'), {mode: 0o644, mtimeMs: 0});
		expect((await writer.close()).entries).toBe(1);
	});
});
