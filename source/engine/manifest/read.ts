import {parseManifestHeader} from './format.js';
import type {ManifestEntry, ManifestHeader} from '../types.js';

/** No line we write comes near this (a path is at most 4,096 bytes); a longer one is not read into memory. */
export const MAX_MANIFEST_LINE = 64 * 1024;

export class ManifestLineError extends Error {}

/**
 * Lines of a stream, each at most MAX_MANIFEST_LINE bytes: a longer one throws
 * as soon as that many bytes are pending, so a hostile 500 MB line costs 64 KiB,
 * not the 1.6 GB readline took. Ends the stream when the reader stops early.
 */
async function * boundedLines(input: NodeJS.ReadableStream): AsyncGenerator<string> {
	const tooLong = () => new ManifestLineError(`a line of the manifest is longer than ${MAX_MANIFEST_LINE / 1024} KiB`);
	let pending: Buffer[] = [];
	let pendingLength = 0;
	const take = (last: Buffer) => {
		const line = Buffer.concat([...pending, last]).toString('utf8');
		pending = [];
		pendingLength = 0;
		return line.endsWith('\r') ? line.slice(0, -1) : line;
	};
	try {
		for await (const raw of input as AsyncIterable<Buffer | string>) {
			const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
			let start = 0;
			for (let end = chunk.indexOf(0x0A, start); end !== -1; end = chunk.indexOf(0x0A, start)) {
				if (pendingLength + end - start > MAX_MANIFEST_LINE) throw tooLong();
				yield take(chunk.subarray(start, end));
				start = end + 1;
			}
			if (pendingLength + chunk.length - start > MAX_MANIFEST_LINE) throw tooLong();
			pending.push(Buffer.from(chunk.subarray(start)));
			pendingLength += chunk.length - start;
		}
		if (pendingLength > 0) yield take(Buffer.alloc(0));
	} finally {
		(input as NodeJS.ReadableStream & {destroy?: () => void}).destroy?.();
	}
}

/**
 * The manifest as an async iterator, for readers that do async work per entry.
 * Lines are pulled one at a time, so only the entry in hand is in memory.
 */
export async function openManifestEntries(input: NodeJS.ReadableStream): Promise<{header: ManifestHeader; entries: AsyncGenerator<ManifestEntry>}> {
	const lines = boundedLines(input);
	let first = await lines.next();
	while (!first.done && first.value === '') first = await lines.next();
	if (first.done) throw new Error('the manifest is empty');
	const header = parseManifestHeader(first.value);
	async function * entries(): AsyncGenerator<ManifestEntry> {
		for (let next = await lines.next(); !next.done; next = await lines.next()) {
			if (next.value !== '') yield JSON.parse(next.value) as ManifestEntry;
		}
	}
	return {header, entries: entries()};
}
