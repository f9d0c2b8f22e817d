import {parseManifestHeader} from './format.js';
import type {ManifestEntry, ManifestHeader} from '../types.js';

/** No line we write comes near this (a path is at most 4,096 bytes); a longer one is not read into memory. */
export const MAX_MANIFEST_LINE = 64 * 1024;

export class ManifestLineError extends Error {}

/**
 * Lines per batch: few enough to die young (a MiB of manifest, 8,000 parsed
 * entries held at once, survived into the old generation and doubled verify's GC).
 */
const BATCH = 256;

/**
 * Lines of a stream, each at most MAX_MANIFEST_LINE bytes, in batches (the lines
 * of one chunk of input: one await per chunk, not per line, which at a million
 * lines was a good part of a verify): a longer line throws as soon as that many
 * bytes are pending, so a hostile 500 MB line costs 64 KiB, not the 1.6 GB
 * readline took. Ends the stream when the reader stops early.
 */
async function * boundedLines(input: NodeJS.ReadableStream): AsyncGenerator<string[]> {
	const tooLong = () => new ManifestLineError(`a line of the manifest is longer than ${MAX_MANIFEST_LINE / 1024} KiB`);
	let pending: Buffer[] = [];
	let pendingLength = 0;
	const take = (last: Buffer) => {
		const line = (pending.length === 0 ? last : Buffer.concat([...pending, last])).toString('utf8');
		pending = [];
		pendingLength = 0;
		return line.endsWith('\r') ? line.slice(0, -1) : line;
	};
	try {
		for await (const raw of input as AsyncIterable<Buffer | string>) {
			const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
			let lines: string[] = [];
			let start = 0;
			// The lines before a line too long still come first, as they did one at a time.
			for (let end = chunk.indexOf(0x0A, start); end !== -1; end = chunk.indexOf(0x0A, start)) {
				if (pendingLength + end - start > MAX_MANIFEST_LINE) {
					if (lines.length > 0) yield lines;
					throw tooLong();
				}
				lines.push(take(chunk.subarray(start, end)));
				start = end + 1;
				if (lines.length === BATCH) {
					yield lines;
					lines = [];
				}
			}
			if (pendingLength + chunk.length - start > MAX_MANIFEST_LINE) {
				if (lines.length > 0) yield lines;
				throw tooLong();
			}
			pending.push(Buffer.from(chunk.subarray(start)));
			pendingLength += chunk.length - start;
			if (lines.length > 0) yield lines;
		}
		if (pendingLength > 0) yield [take(Buffer.alloc(0))];
	} finally {
		(input as NodeJS.ReadableStream & {destroy?: () => void}).destroy?.();
	}
}

/**
 * The manifest's entries in batches (those of one chunk of input), for readers
 * that check every entry of a big backup: only a batch is in memory at a time.
 */
export async function openManifestBatches(input: NodeJS.ReadableStream): Promise<{header: ManifestHeader; batches: AsyncGenerator<ManifestEntry[]>}> {
	const lines = boundedLines(input);
	let batch: string[] = [];
	let at = -1;
	while (at === -1) {
		const next = await lines.next();
		if (next.done) throw new Error('the manifest is empty');
		batch = next.value;
		at = batch.findIndex(line => line !== '');
	}
	const header = parseManifestHeader(batch[at]!);
	const first = batch.slice(at + 1);
	/** The entries of a batch; a damaged line throws after the entries before it (as one at a time did). */
	async function * parsed(lines: string[]): AsyncGenerator<ManifestEntry[]> {
		const entries: ManifestEntry[] = [];
		let failure: unknown;
		for (const line of lines) {
			if (line === '') continue;
			try {
				entries.push(JSON.parse(line) as ManifestEntry);
			} catch (error) {
				failure = error;
				break;
			}
		}
		if (entries.length > 0) yield entries;
		if (failure !== undefined) throw failure;
	}
	async function * batches(): AsyncGenerator<ManifestEntry[]> {
		try {
			yield * parsed(first);
			for (let next = await lines.next(); !next.done; next = await lines.next()) yield * parsed(next.value);
		} finally {
			await lines.return(undefined);
		}
	}
	return {header, batches: batches()};
}

/**
 * The manifest as an async iterator, for readers that do async work per entry.
 * Lines are pulled a chunk at a time, so only those entries are in memory.
 */
export async function openManifestEntries(input: NodeJS.ReadableStream): Promise<{header: ManifestHeader; entries: AsyncGenerator<ManifestEntry>}> {
	const {header, batches} = await openManifestBatches(input);
	async function * entries(): AsyncGenerator<ManifestEntry> {
		for await (const batch of batches) yield * batch;
	}
	return {header, entries: entries()};
}
