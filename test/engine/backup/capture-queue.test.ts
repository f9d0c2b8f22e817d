import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {batchFiles, CaptureQueue} from '../../../source/engine/backup/capture-queue.js';
import {HelperThread} from '../../../source/engine/walk/helper-thread.js';
import type {Captured} from '../../../source/engine/walk/capture.js';
import {tempDir} from '../../support/trees.js';

let root: string;
let source: string;
let target: string;
let helper: HelperThread;
/** Every file, in walk order: 30 folders of 100 files of 0 to 20,000 random bytes. */
let files: string[];

beforeEach(() => {
	root = tempDir('crx-capture-');
	source = path.join(root, 'source');
	target = path.join(root, 'target');
	files = [];
	for (let d = 0; d < 30; d++) {
		const folder = `f${String(d).padStart(3, '0')}`;
		fs.mkdirSync(path.join(source, folder), {recursive: true});
		fs.mkdirSync(path.join(target, folder), {recursive: true});
		for (let f = 0; f < 100; f++) {
			const rel = `${folder}/r${String(f).padStart(3, '0')}`;
			fs.writeFileSync(path.join(source, rel), crypto.randomBytes((d * 100 + f) * 7 % 20_001));
			files.push(rel);
		}
	}
	helper = new HelperThread();
});
afterEach(async () => {
	await helper.close();
	fs.rmSync(root, {recursive: true, force: true});
});

/** Queues every file (a folder's record before its files), as the mirror does; returns what came back, in order. */
async function copyAll(queue: CaptureQueue<string>, got: string[], afterFirst?: () => void): Promise<void> {
	let folder = '';
	for (const rel of files) {
		const dir = path.dirname(rel);
		if (dir !== folder) {
			folder = dir;
			queue.write({rel: dir, type: 'dir', size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0, mode: 0, crc32: 0, racy: false});
		}
		const sent = await queue.add(rel, {source: path.join(source, rel), destination: path.join(target, rel), exists: false}, fs.statSync(path.join(source, rel)).size);
		if (sent && afterFirst) {
			afterFirst();
			afterFirst = undefined;
		}
	}
	await queue.flush();
	await queue.close();
	expect(got.length).toBeGreaterThan(0);
}

const newQueue = (got: string[], captures: Map<string, Captured | undefined>) => new CaptureQueue<string>(helper, batchFiles,
	record => got.push(`dir ${record.rel}`),
	(rel, captured) => {
		got.push(`file ${rel}`);
		captures.set(rel, captured);
	});

/** What the queue must hand back: each folder's record, then its files, in walk order. */
const walkOrder = () => files.flatMap((rel, i) => (i % 100 === 0 ? [`dir ${path.dirname(rel)}`, `file ${rel}`] : [`file ${rel}`]));

function expectCopies(captures: Map<string, Captured | undefined>): void {
	for (const rel of files) {
		const bytes = fs.readFileSync(path.join(source, rel));
		expect(fs.readFileSync(path.join(target, rel)).equals(bytes), rel).toBe(true);
		const captured = captures.get(rel)!;
		expect(captured.crc32, rel).toBe(zlib.crc32(bytes));
		expect(captured.size).toBe(bytes.length);
		expect(captured.ino).toBe(fs.statSync(path.join(source, rel)).ino);
		expect(captured.targetIno).toBe(fs.statSync(path.join(target, rel)).ino);
		expect(fs.statSync(path.join(target, rel)).mode & 0o777).toBe(0o600);
		// futimes takes seconds as a double: the copy's time is the source's to the microsecond.
		expect(Math.abs(fs.statSync(path.join(target, rel)).mtimeMs - fs.statSync(path.join(source, rel)).mtimeMs)).toBeLessThan(0.001);
	}
	expect(fs.readdirSync(target, {recursive: true}).filter(name => String(name).endsWith('.crxtmp'))).toEqual([]);
}

test('small files are copied on both threads and handed back in walk order, byte for byte, with their stat and CRC', async () => {
	const got: string[] = [];
	const captures = new Map<string, Captured | undefined>();
	await copyAll(newQueue(got, captures), got);
	expect(helper.batches).toBeGreaterThan(0); // The first batch finds the helper idle.
	expect(got).toEqual(walkOrder());
	expectCopies(captures);
});

test('a helper thread that dies with a batch leaves that batch to this thread: every file is still copied, in order', async () => {
	const got: string[] = [];
	const captures = new Map<string, Captured | undefined>();
	// The thread is gone before it can answer: its batch (possibly half copied) is copied again here.
	await copyAll(newQueue(got, captures), got, () => void (helper as unknown as {worker: {terminate(): Promise<number>}}).worker.terminate());
	expect(helper.usable).toBe(false);
	expect(got).toEqual(walkOrder());
	expectCopies(captures);
});

test('a copy that fails on the helper thread fails with its error, and its temp file is gone', async () => {
	// A folder where the copy of the batch's tenth file must go: the copy is renamed onto it and cannot be.
	fs.mkdirSync(path.join(target, files[9]!));
	const got: string[] = [];
	const queue = newQueue(got, new Map());
	// The error as this thread would have thrown it: its code and paths are what the one-sentence message names.
	await expect(copyAll(queue, got)).rejects.toMatchObject({code: 'EISDIR', syscall: 'rename', dest: path.join(target, files[9]!)});
	await queue.close();
	expect(helper.usable).toBe(true); // The first batch, the helper's: its copy failed, the thread did not.
	expect(got).toEqual(['dir f000']); // Nothing of the failed batch is handed back: the stage fails with no record of it.
	expect(fs.readdirSync(path.join(target, 'f000')).filter(name => name.endsWith('.crxtmp'))).toEqual([]);
	expect(fs.readdirSync(path.join(target, files[9]!))).toEqual([]);
});
