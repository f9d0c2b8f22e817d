import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {looksIncompressible} from '../../../source/engine/zip/probe.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('looksIncompressible (small entries stored without a trial deflate)', () => {
	it('calls random bytes of 2 to 12 KiB, and gzip output, incompressible', () => {
		for (const size of [2048, 7000, 12 * 1024, 64 * 1024]) expect(looksIncompressible(crypto.randomBytes(size))).toBe(true);
		const packed = zlib.gzipSync(fs.readFileSync(path.join(root, 'package-lock.json')));
		expect(looksIncompressible(packed.subarray(0, 12 * 1024))).toBe(true);
	});

	it('leaves text, code, sparse binary and anything under 1 KiB to deflate', () => {
		expect(looksIncompressible(fs.readFileSync(path.join(root, 'README.md')).subarray(0, 8 * 1024))).toBe(false);
		expect(looksIncompressible(fs.readFileSync(path.join(root, 'source/engine/zip/probe.ts')))).toBe(false);
		const sparse = Buffer.alloc(8 * 1024);
		crypto.randomBytes(512).copy(sparse, 4096);
		expect(looksIncompressible(sparse)).toBe(false);
		expect(looksIncompressible(crypto.randomBytes(1023))).toBe(false);
	});

	it('judges a random start followed by text by its middle and end too', () => {
		const mixed = Buffer.concat([crypto.randomBytes(2048), Buffer.from('<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0"/>\n'.repeat(200))]);
		expect(looksIncompressible(mixed)).toBe(false);
	});
});
