import fs from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {byName, comparePaths} from '../../../source/engine/walk/source-walk.js';
import {StateReader, StateWriter, type StateRecord} from '../../../source/engine/walk/state-file.js';
import {tempDir} from '../../support/trees.js';

let dir: string | undefined;
afterEach(() => {
	if (dir) fs.rmSync(dir, {recursive: true, force: true});
});

/** The definition: segment by segment, siblings by name. */
const bySegments = (a: string, b: string) => {
	const left = a.split('/');
	const right = b.split('/');
	for (let i = 0; i < Math.min(left.length, right.length); i++) if (left[i] !== right[i]) return byName(left[i]!, right[i]!);
	return left.length - right.length;
};

test('comparePaths orders like the walk: a folder, then what it holds, siblings by name', () => {
	const alphabet = ['a', 'b', '/', '-', '.', ' ', 'é', 'Z', '0', '\u{1F600}'];
	let seed = 7;
	const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
	const make = () => {
		let text = '';
		for (let i = 0, length = 1 + Math.floor(random() * 7); i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
		return text.replace(/\/+/g, '/').replace(/^\/|\/$/g, '') || 'a';
	};
	for (let n = 0; n < 50_000; n++) {
		const a = make();
		const b = make();
		expect(Math.sign(comparePaths(a, b)), `${a} vs ${b}`).toBe(Math.sign(bySegments(a, b)));
	}
	expect(['a-b', 'a/b', 'a', 'a.b', 'a/b/c'].sort(comparePaths)).toEqual(['a', 'a/b', 'a/b/c', 'a-b', 'a.b']);
});

test('state files give back every record in order, long and non-ASCII names included', () => {
	dir = tempDir();
	const file = path.join(dir, 'state');
	const records: StateRecord[] = [];
	for (let i = 0; i < 5000; i++) {
		records.push({
			rel: `d${i % 7}/é ${i}\n${'x'.repeat(i % 200)}${i === 42 ? 'y'.repeat(600_000) : ''}`,
			type: (['file', 'dir', 'other'] as const)[i % 3]!, size: i * 1000.5, mtimeMs: 1.5e12 + i / 7, ctimeMs: 1.6e12 + i, ino: i * 3,
			mode: 0o100755, crc32: (i * 2_654_435_761) >>> 0, racy: i % 2 === 0, ...(i % 5 === 0 ? {quick: true} : {}),
			...(i % 3 === 1 ? {names: i % 2 ? ['a', 'b é', `n${i}`] : []} : {}),
		});
	}
	const writer = new StateWriter(file);
	for (const record of records) writer.write(record);
	writer.close();
	expect(writer.files).toBe(records.filter(r => r.type === 'file').length);
	const reader = new StateReader(file);
	const back: StateRecord[] = [];
	for (let record = reader.next(); record; record = reader.next()) back.push(record);
	reader.close();
	expect(back).toEqual(records);
});
