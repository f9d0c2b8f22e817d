import readline from 'node:readline';
import {parseManifestHeader} from './manifest.js';
import type {ManifestEntry, ManifestHeader} from './types.js';

/**
 * The manifest as an async iterator, for readers that do async work per entry
 * (a readline stream's callback would be synchronous). Lines are pulled one at a
 * time, so only the entry in hand is in memory.
 */
export async function openManifestEntries(input: NodeJS.ReadableStream): Promise<{header: ManifestHeader; entries: AsyncGenerator<ManifestEntry>}> {
	const lines = readline.createInterface({input, crlfDelay: Number.POSITIVE_INFINITY})[Symbol.asyncIterator]();
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
