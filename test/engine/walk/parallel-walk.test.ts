import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {walkInParallel} from '../../../source/engine/walk/parallel-walk.js';
import {walkSource, type ScannedEntry, type WalkOptions} from '../../../source/engine/walk/source-walk.js';
import {HelperThread} from '../../../source/engine/walk/helper-thread.js';
import {tempDir} from '../../support/trees.js';
import {settle} from '../../support/link-dest.js';

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

test('a walk split with the helper thread gives the entries, listings and warnings of one walk, in walk order', async () => {
	// A listing marks a folder changed within two seconds as racy: let the new tree age past that, or the two walks'
	// listings differ by that mark whenever the machine is slow enough for two seconds to pass between them.
	await settle();
	const alone: string[] = [];
	const expected = [...walkSource(source, options('alone.listing', alone))];
	const helper = new HelperThread();
	try {
		const split: string[] = [];
		const entries = await collect(walkInParallel(source, options('split.listing', split), helper, 0));
		expect(helper.parts).toBe(1);
		expect(entries).toEqual(expected);
		expect(entries).toHaveLength(1 + 20 * (1 + 2 * 3));
		expect(fs.readFileSync(path.join(scratch, 'split.listing'))).toEqual(fs.readFileSync(path.join(scratch, 'alone.listing')));
		expect(split.sort()).toEqual(alone.sort());
		expect(split).toHaveLength(3);
		expect(fs.readdirSync(scratch).sort()).toEqual(['alone.listing', 'split.listing']); // the helper's scratch files are gone

		// The next walk reads those listings on both threads, and again agrees.
		const again = await collect(walkInParallel(source, options('again.listing', [], {listingIn: path.join(scratch, 'split.listing')}), helper, 0));
		expect(helper.parts).toBe(2);
		expect(again).toEqual(expected);
	} finally {
		await helper.close();
	}
});

test('when the helper thread cannot walk its part, this thread walks it', async () => {
	const expected = [...walkSource(source, options('alone.listing', []))];
	fs.symlinkSync(path.join(root, 'no-such-folder', 'entries'), path.join(scratch, 'split.listing.entries')); // the helper cannot create its entries file
	const helper = new HelperThread();
	try {
		const warnings: string[] = [];
		expect(await collect(walkInParallel(source, options('split.listing', warnings), helper, 0))).toEqual(expected);
		expect(helper.parts).toBe(0);
		expect(warnings).toHaveLength(3);
	} finally {
		await helper.close();
	}
	// A closed helper is not used: the walk is one part on this thread.
	const parts: number[] = [];
	for await (const part of walkInParallel(source, options('closed.listing', []), helper, 0)) parts.push([...part].length);
	expect(parts).toEqual([expected.length]);
});

test('a split walk stopped by its signal stops the helper and leaves no scratch files', async () => {
	const helper = new HelperThread();
	const controller = new AbortController();
	controller.abort(new Error('cancelled'));
	try {
		await expect(collect(walkInParallel(source, options('split.listing', [], {signal: controller.signal}), helper, 0))).rejects.toThrow('cancelled');
		expect(helper.usable).toBe(false);
		expect(fs.readdirSync(scratch).filter(name => name !== 'split.listing')).toEqual([]);
	} finally {
		await helper.close();
	}
});

test('a walk is split only when its earlier listing is big enough and the helper is idle', async () => {
	const helper = new HelperThread();
	const partsOf = async (walk: AsyncIterable<Iterable<ScannedEntry>>) => {
		const sizes: number[] = [];
		for await (const part of walk) sizes.push([...part].length);
		return sizes;
	};
	try {
		const first = await partsOf(walkInParallel(source, options('first.listing', []), helper)); // no earlier listing: not known to be big
		expect(first).toHaveLength(1);
		const listing = path.join(scratch, 'first.listing');
		const size = fs.statSync(listing).size;
		expect(await partsOf(walkInParallel(source, options('small.listing', [], {listingIn: listing}), helper, size + 1))).toHaveLength(1);
		expect(helper.parts).toBe(0);
		expect(await partsOf(walkInParallel(source, options('big.listing', [], {listingIn: listing}), helper, size))).toHaveLength(2);
		expect(helper.parts).toBe(1);

		// While the helper takes a snapshot (a job of its own), walks do not wait for it: they are not split.
		const job = {target: path.join(root, 'no-target'), phases: []};
		const snapshot = helper.snapshot(job);
		expect(helper.idle).toBe(false);
		expect(await partsOf(walkInParallel(source, options('busy.listing', [], {listingIn: listing}), helper, 0))).toHaveLength(1);
		await snapshot;
		expect(helper.idle).toBe(true);
		expect(helper.parts).toBe(1);
	} finally {
		await helper.close();
	}
});
