import {openManifestBatches} from './read.js';
import {MANIFEST_NAME} from '../platform/paths.js';
import {comparePaths} from '../walk/source-walk.js';
import {Yielder} from '../walk/yielder.js';
import type {ManifestEntry, VerifyProblem} from '../types.js';
import {openZip, type ZipEntryInfo, type ZipReader} from '../zip/reader.js';

const reason = (error: unknown) => (error as Error)?.message ?? String(error);

/** What the central directory says of an entry: 'dir', or "size:crc". */
export type Found = string;

export const foundOf = (entry: ZipEntryInfo): Found => (entry.isDirectory ? 'dir' : `${entry.size}:${entry.crc32}`);

/**
 * Checks a zip's entries against the manifest it carries, one entry at a time
 * in zip order: none missing, none extra, sizes and CRCs equal. Our zips list
 * their entries in the manifest's own path order, so the two are merged as
 * streams and memory stays flat whatever the entry count (a map of a million
 * names took 533 MiB). A zip whose entries are not in path order (rewritten by
 * another tool) is matched through a map instead.
 */
export interface ManifestMatcher {
	/** A promise only when the next manifest lines must be read first: await it before the next call. */
	see(entry: ZipEntryInfo): Promise<void> | void;
	/** Reports what the manifest still holds as missing, and closes it. */
	finish(): Promise<void>;
	close(): void;
}

/** The manifest entry (when it comes first) and whether the other entries are in path order: one pass over the central directory. */
export async function zipLayout(reader: ZipReader): Promise<{manifest?: ZipEntryInfo; sorted: boolean}> {
	let manifest: ZipEntryInfo | undefined;
	let previous: string | undefined;
	let sorted = true;
	let first = true;
	const yielder = new Yielder();
	for (const entry of reader.entriesSync()) {
		if (yielder.due()) await yielder.pause();
		if (entry.name === MANIFEST_NAME && first) manifest = entry;
		else if (entry.name !== MANIFEST_NAME) {
			if (previous !== undefined && comparePaths(previous, entry.name) >= 0) sorted = false;
			previous = entry.name;
		}
		first = false;
	}
	return {manifest, sorted};
}

/** Opens the manifest with its own reader (its buffers must not be shared with the entries being checked). Undefined, with a problem noted, when it cannot be read. */
export async function matchManifest(file: string, manifestEntry: ZipEntryInfo, sorted: boolean, problems: VerifyProblem[]): Promise<ManifestMatcher | undefined> {
	let side: ZipReader | undefined;
	let batches: AsyncGenerator<ManifestEntry[]>;
	try {
		side = openZip(file);
		({batches} = await openManifestBatches(side.openEntry(manifestEntry)));
	} catch (error) {
		side?.close();
		problems.push({path: MANIFEST_NAME, problem: `unreadable: ${reason(error)}`});
		return undefined;
	}
	const compare = (expected: ManifestEntry, found: Found) => {
		if (expected.type === 'dir') {
			if (found !== 'dir') problems.push({path: expected.path, problem: 'a file in the zip, a folder in the manifest'});
		} else if (found === 'dir') {
			problems.push({path: expected.path, problem: 'a folder in the zip, a file in the manifest'});
		} else {
			const [size, crc] = found.split(':');
			if (Number(size) !== expected.size) problems.push({path: expected.path, problem: `size is ${size} bytes, the manifest says ${expected.size}`});
			else if (crc !== expected.crc32) problems.push({path: expected.path, problem: `CRC-32 is ${crc}, the manifest says ${expected.crc32}`});
		}
	};
	const missing = (expected: ManifestEntry) => problems.push({path: expected.path, problem: 'missing: in the manifest but not in the zip'});
	const extra = (name: string) => problems.push({path: name, problem: 'extra: in the zip but not in the manifest'});
	let broken = false;
	let batch: ManifestEntry[] = [];
	let at = 0;
	/** The next batch; a damaged line ends the matching with one problem. */
	const refill = async (): Promise<ManifestEntry | undefined> => {
		try {
			for (let next = await batches.next(); !next.done; next = await batches.next()) {
				if (next.value.length === 0) continue;
				batch = next.value;
				at = 1;
				return batch[0];
			}
		} catch (error) {
			broken = true;
			problems.push({path: MANIFEST_NAME, problem: `unreadable: ${reason(error)}`});
		}
		batch = [];
		at = 0;
		return undefined;
	};
	/** The next manifest entry: at once while the batch lasts (an await per entry cost more than the matching). */
	const next = (): ManifestEntry | undefined | Promise<ManifestEntry | undefined> => (broken ? undefined : at < batch.length ? batch[at++] : refill());
	const pull = async (): Promise<ManifestEntry | undefined> => next();
	const close = () => side!.close();

	if (!sorted) {
		const seen = new Map<string, Found>();
		return {
			see(entry) {
				seen.set(entry.name, foundOf(entry));
			},
			async finish() {
				for (let expected = await pull(); expected; expected = await pull()) {
					const found = seen.get(expected.path);
					seen.delete(expected.path);
					if (found === undefined) missing(expected);
					else compare(expected, found);
				}
				if (!broken) for (const name of seen.keys()) extra(name);
				close();
			},
			close,
		};
	}

	let head = await pull();
	/** Takes the next entry as head; a promise when it had to be read. */
	const advance = (): Promise<void> | void => {
		const taken = next();
		if (taken instanceof Promise) return taken.then(entry => void (head = entry));
		head = taken;
	};
	const see = (entry: ZipEntryInfo): Promise<void> | void => {
		if (broken) return;
		while (head && comparePaths(head.path, entry.name) < 0) {
			missing(head);
			const waiting = advance();
			if (waiting) return waiting.then(() => see(entry));
		}
		if (broken) return;
		if (head?.path === entry.name) {
			compare(head, foundOf(entry));
			return advance();
		}
		extra(entry.name);
	};
	return {
		see,
		async finish() {
			for (; head; head = await pull()) missing(head);
			close();
		},
		close,
	};
}
