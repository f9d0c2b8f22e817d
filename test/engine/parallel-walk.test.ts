import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {walkInParallel} from '../../source/engine/parallel-walk.js';
import {walkTree, type ScannedEntry, type WalkOptions} from '../../source/engine/scan.js';
import {WalkWorker} from '../../source/engine/walk-pool.js';
import {tempDir} from '../support/trees.js';

let root: string;
let source: string;
let scratch: string;
beforeEach(() => {
	root = tempDir();
	source = path.join(root, 'crx-quickstart');
	scratch = path.join(root, 'state');
	fs.mkdirSync(scratch);
	// A datastore of 20 `ab` folders, two records each, and what a walk must warn about on both sides of the split.
	for (let i = 0; i < 20; i++) {
		const ab = (i * 13).toString(16).padStart(2, '0');
		for (const cd of ['00', 'ff']) {
			const dir = path.join(source, 'repository', 'datastore', ab, cd, '12');
			fs.mkdirSync(dir, {recursive: true});
			fs.writeFileSync(path.join(dir, `${ab}${cd}12${'0'.repeat(34)}`), `record ${ab}${cd}`);
		}
	}
	execFileSync('mkfifo', [path.join(source, 'repository', 'datastore', '00', 'pipe')]);
	execFileSync('mkfifo', [path.join(source, 'repository', 'datastore', 'f7', 'pipe')]);
	fs.symlinkSync('nowhere', path.join(source, 'repository', 'datastore', 'ea', 'dangling'));
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

async function collect(walk: AsyncIterable<Iterable<ScannedEntry>>): Promise<ScannedEntry[]> {
	const entries: ScannedEntry[] = [];
	for await (const part of walk) for (const entry of part) entries.push(entry);
	return entries;
}

const options = (listingOut: string, warnings: string[], extra: Partial<WalkOptions> = {}): WalkOptions => ({
	exclude: [], only: 'repository/datastore', listingOut: path.join(scratch, listingOut), onWarning: message => warnings.push(message), ...extra,
});

test('a walk split with a worker thread gives the entries, listings and warnings of one walk, in walk order', async () => {
	const alone: string[] = [];
	const expected = [...walkTree(source, options('alone.listing', alone))];
	const worker = new WalkWorker();
	try {
		const split: string[] = [];
		const entries = await collect(walkInParallel(source, options('split.listing', split), worker));
		expect(worker.parts).toBe(1);
		expect(entries).toEqual(expected);
		expect(entries).toHaveLength(1 + 20 * (1 + 2 * 3));
		expect(fs.readFileSync(path.join(scratch, 'split.listing'))).toEqual(fs.readFileSync(path.join(scratch, 'alone.listing')));
		expect(split.sort()).toEqual(alone.sort());
		expect(split).toHaveLength(3);
		expect(fs.readdirSync(scratch).sort()).toEqual(['alone.listing', 'split.listing']); // the worker's scratch files are gone

		// The next walk reads those listings on both threads, and again agrees.
		const again = await collect(walkInParallel(source, options('again.listing', [], {listingIn: path.join(scratch, 'split.listing')}), worker));
		expect(worker.parts).toBe(2);
		expect(again).toEqual(expected);
	} finally {
		await worker.close();
	}
});

test('when the worker cannot walk its part, this thread walks it', async () => {
	const expected = [...walkTree(source, options('alone.listing', []))];
	fs.symlinkSync(path.join(root, 'no-such-folder', 'entries'), path.join(scratch, 'split.listing.entries')); // the worker cannot create its entries file
	const worker = new WalkWorker();
	try {
		const warnings: string[] = [];
		expect(await collect(walkInParallel(source, options('split.listing', warnings), worker))).toEqual(expected);
		expect(worker.parts).toBe(0);
		expect(warnings).toHaveLength(3);
	} finally {
		await worker.close();
	}
	// A closed worker is not used: the walk is one part on this thread.
	const parts: number[] = [];
	for await (const part of walkInParallel(source, options('closed.listing', []), worker)) parts.push([...part].length);
	expect(parts).toEqual([expected.length]);
});

test('a split walk stopped by its signal stops the worker and leaves no scratch files', async () => {
	const worker = new WalkWorker();
	const controller = new AbortController();
	controller.abort(new Error('cancelled'));
	try {
		await expect(collect(walkInParallel(source, options('split.listing', [], {signal: controller.signal}), worker))).rejects.toThrow('cancelled');
		expect(worker.usable).toBe(false);
		expect(fs.readdirSync(scratch).filter(name => name !== 'split.listing')).toEqual([]);
	} finally {
		await worker.close();
	}
});
