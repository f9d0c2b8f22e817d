import fs from 'node:fs';
import {byName, replayWalk, walkSource, type ScannedEntry, type WalkOptions} from './source-walk.js';
import {worthTheHelper, type HelperThread} from './helper-thread.js';
import {copyBytes} from './state-file.js';

/**
 * The share of the start folder's children walked on this thread; the helper
 * thread takes the rest, since this thread also merges every entry as it comes.
 */
const mainShare = 0.45;

/**
 * A walk in consecutive parts, each a synchronous iterable: the consumer awaits
 * between parts only (an async generator per entry cost 2–3 µs an entry, a
 * quarter of a stage).
 */
export type WalkParts = AsyncIterable<Iterable<ScannedEntry>>;

/** One synchronous walk as WalkParts. */
export async function* onePart(walk: Iterable<ScannedEntry>): WalkParts {
	yield walk;
}

/** The smallest earlier listing (listingIn) worth a split, about 15,000 entries: a smaller walk takes under 0.1 s. */
const minSplitListingBytes = 1024 * 1024;

/**
 * walkSource over both cores: the start folder's children (the datastore's 256
 * `ab` folders) are split by name; this thread walks the first part and yields
 * it as it goes, while the helper thread walks the rest into a state file that
 * is then replayed, so the entries still come in walk order. Both parts read
 * the same earlier listings, and the helper's listings are appended to this
 * thread's, so the next walk finds one file in walk order. A stage's walk is a
 * stat of every entry (57,000 on the 1 GiB fixture: 0.47 s alone, 0.26–0.30 s
 * split), and the count and stages 2–4 each make one.
 *
 * Split only with an idle helper (during the count it takes the target's
 * snapshot), an `only` sub-tree, a listingOut (the helper's scratch files go
 * beside it, in the backup's state folder: never near the source) and an
 * earlier listing of at least `minListingBytes` (a big walk is known only from
 * its last one). If the helper fails, its part is walked here.
 */
export async function* walkInParallel(root: string, options: WalkOptions, helper?: HelperThread, minListingBytes = minSplitListingBytes): WalkParts {
	const worth = helper?.idle && options.only !== undefined && options.listingOut !== undefined && worthTheHelper(options.listingIn, minListingBytes);
	const names = worth ? childNames(`${root}/${options.only}`) : [];
	if (names.length < 8) {
		yield walkSource(root, options);
		return;
	}
	const split = names[Math.floor(names.length * mainShare)]!;
	const entriesOut = `${options.listingOut}.entries`;
	const rest: WalkOptions = {...options, part: {from: split}, listingOut: `${options.listingOut}.part`};
	const {signal, onWarning, ...cloneable} = rest;
	const stop = new AbortController();
	const part = helper!.walk({root, options: cloneable, entriesOut}, signal ? AbortSignal.any([signal, stop.signal]) : stop.signal);
	part.catch(() => undefined); // Awaited below; this thread's part may throw first.
	try {
		yield walkSource(root, {...options, part: {before: split}});
		let warnings: string[] | undefined;
		try {
			warnings = await part;
		} catch (error) {
			if (signal?.aborted) throw error;
		}
		if (warnings) {
			for (const message of warnings) onWarning?.(message);
			yield replayWalk(entriesOut, signal);
		} else {
			yield walkSource(root, rest); // The helper failed: its part, here.
		}
		appendAndRemove(rest.listingOut!, options.listingOut!);
	} finally {
		stop.abort(); // Only while the part is still running (this walk was abandoned): the helper is then given up.
		await part.catch(() => undefined);
		fs.rmSync(entriesOut, {force: true});
		fs.rmSync(rest.listingOut!, {force: true});
	}
}

function childNames(dir: string): string[] {
	try {
		return fs.readdirSync(dir).sort(byName);
	} catch {
		return [];
	}
}

/** Appends `part` to `whole`, then removes it. */
function appendAndRemove(part: string, whole: string): void {
	const input = fs.openSync(part, 'r');
	const output = fs.openSync(whole, 'a');
	try {
		copyBytes(input, output);
	} finally {
		fs.closeSync(input);
		fs.closeSync(output);
	}
	fs.rmSync(part, {force: true});
}
