import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ZipWriter} from '../../../source/engine/zip/writer.js';
import {python as pythonTool, run as runTool} from '../../support/tools.js';

// The slow suite (npm run test:faults): a 4 GiB+ entry written by the zip writer itself, read by unzip, python and jar.
const MTIME = new Date('2021-01-04T05:06:07.890Z');

let temp: string;
beforeEach(() => {
	temp = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-zip-4gib-'));
});
afterEach(() => {
	fs.rmSync(temp, {recursive: true, force: true});
});

const run = (command: string, args: string[], cwd = temp) => runTool(command, args, cwd);
const python = (script: string, ...args: string[]) => pythonTool(temp, script, ...args);

describe('ZipWriter with a 4 GiB+ file', () => {
	it('writes Zip64 sizes that unzip and python read back', async () => {
		const source = path.join(temp, 'huge.bin');
		const size = 4 * 1024 * 1024 * 1024 + 1024 * 1024;
		const marks = [0, 1024 * 1024 * 1024 + 7, 4 * 1024 * 1024 * 1024 - 3, size - 100];
		fs.writeFileSync(source, '');
		fs.truncateSync(source, size);
		const fd = fs.openSync(source, 'r+');
		for (const offset of marks) fs.writeSync(fd, crypto.randomBytes(64), 0, 64, offset);
		fs.closeSync(fd);
		const expectedCrc = python(`
import sys, zlib
crc = 0
with open(sys.argv[1], 'rb') as f:
    while chunk := f.read(8 << 20):
        crc = zlib.crc32(chunk, crc)
print(format(crc, '08x'))
`, source).trim();

		const zipPath = path.join(temp, 'huge.zip');
		const writer = await ZipWriter.open(zipPath);
		await writer.add({name: 'huge.bin', kind: 'file', source, size, mode: 0o644, mtimeMs: MTIME.getTime()});
		await writer.addBuffer('after.txt', Buffer.from('an entry past 4 GiB'), {mode: 0o644, mtimeMs: MTIME.getTime()});
		await writer.close();

		const test = run('unzip', ['-t', zipPath]);
		expect(test.stdout).toContain('No errors detected');
		expect(test.status).toBe(0);
		const checked = python(`
import sys, zipfile, zlib
z = zipfile.ZipFile(sys.argv[1])
info = z.getinfo('huge.bin')
crc, n = 0, 0
with z.open(info) as f:
    while chunk := f.read(8 << 20):
        crc = zlib.crc32(chunk, crc); n += len(chunk)
print(n, format(crc, '08x'), format(info.CRC, '08x'), z.read('after.txt').decode())
`, zipPath);
		expect(checked.trim()).toBe(`${size} ${expectedCrc} ${expectedCrc} an entry past 4 GiB`);

		// Java's streaming reader (the restore recipe AEM documents) takes the Zip64 sizes from the local header.
		const jarOut = path.join(temp, 'jar');
		fs.mkdirSync(jarOut);
		const jar = run('jar', ['xf', zipPath], jarOut);
		expect(jar.stderr).toBe('');
		expect(jar.status).toBe(0);
		expect(fs.statSync(path.join(jarOut, 'huge.bin')).size).toBe(size);
		fs.rmSync(jarOut, {recursive: true});
	}, 900_000);
});
