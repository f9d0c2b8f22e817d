import {throwIfAborted} from './errors.js';
import {openManifestEntries} from './manifest-entries.js';
import {MANIFEST_NAME} from './paths.js';
import type {VerifyProblem, VerifyResult} from './types.js';
import type {VerifyProgress} from './verify.js';
import {openZip, readEntryChecked, UnsafeEntryError, type ZipEntryInfo, type ZipReader} from './zip/reader.js';

const reason = (error: unknown) => (error as Error)?.message ?? String(error);

/**
 * Reads every entry of a zip and checks its data against the CRC-32 in the
 * central directory. When the zip starts with our manifest, the
 * entries must also match it: none missing, none extra, sizes and CRCs equal.
 * AEM's own zips have no manifest and are checked by CRC alone.
 */
export async function verifyZip(file: string, signal?: AbortSignal, onProgress?: VerifyProgress): Promise<VerifyResult> {
	const problems: VerifyProblem[] = [];
	let reader: ZipReader;
	try {
		reader = openZip(file);
	} catch (error) {
		return {ok: false, files: 0, bytes: 0, problems: [{path: file, problem: `cannot be read as a zip: ${reason(error)}`}]};
	}
	let files = 0;
	let bytes = 0;
	let manifestEntry: ZipEntryInfo | undefined;
	// name → "size:crc" (or "dir"), kept only to compare with the manifest: the one thing held per entry.
	let seen: Map<string, string> | undefined;
	try {
		for await (const entry of reader.entries()) {
			throwIfAborted(signal);
			if (entry.name === MANIFEST_NAME) {
				if (files === 0 && !seen) {
					manifestEntry = entry;
					seen = new Map();
				}
				continue;
			}
			if (entry.isDirectory) {
				seen?.set(entry.name, 'dir');
				continue;
			}
			try {
				const read = await readEntryChecked(reader, entry, undefined, signal);
				throwIfAborted(signal);
				if (read.crc32 !== entry.crc32) problems.push({path: entry.name, problem: `damaged: CRC-32 is ${read.crc32}, the zip says ${entry.crc32}`});
			} catch (error) {
				if (signal?.aborted) throw error;
				problems.push({path: entry.name, problem: `damaged: ${reason(error)}`});
			}
			seen?.set(entry.name, `${entry.size}:${entry.crc32}`);
			files++;
			bytes += entry.size;
			onProgress?.(files, bytes, entry.name);
		}
		if (manifestEntry && seen) await compareWithManifest(reader, manifestEntry, seen, problems);
	} catch (error) {
		if (signal?.aborted) throw error;
		const what = error instanceof UnsafeEntryError ? 'holds an unsafe entry name' : 'is damaged';
		problems.push({path: file, problem: `${what}: ${reason(error)}`});
	} finally {
		reader.close();
	}
	return {ok: problems.length === 0, files, bytes, problems};
}

/**
 * Compares what the central directory holds (`seen`: name → "size:crc" or "dir")
 * with the manifest entry of the same zip, adding one problem per difference.
 * Restore uses it too, so that a zip whose manifest disagrees is refused.
 */
export async function compareWithManifest(reader: ZipReader, manifestEntry: ZipEntryInfo, seen: Map<string, string>, problems: VerifyProblem[]): Promise<void> {
	let manifest;
	try {
		manifest = await openManifestEntries(await reader.openEntry(manifestEntry));
	} catch (error) {
		problems.push({path: MANIFEST_NAME, problem: `unreadable: ${reason(error)}`});
		return;
	}
	for await (const expected of manifest.entries) {
		const found = seen.get(expected.path);
		seen.delete(expected.path);
		if (found === undefined) {
			problems.push({path: expected.path, problem: 'missing: in the manifest but not in the zip'});
		} else if (expected.type === 'dir') {
			if (found !== 'dir') problems.push({path: expected.path, problem: 'a file in the zip, a folder in the manifest'});
		} else if (found === 'dir') {
			problems.push({path: expected.path, problem: 'a folder in the zip, a file in the manifest'});
		} else {
			const [size, crc] = found.split(':');
			if (Number(size) !== expected.size) problems.push({path: expected.path, problem: `size is ${size} bytes, the manifest says ${expected.size}`});
			else if (crc !== expected.crc32) problems.push({path: expected.path, problem: `CRC-32 is ${crc}, the manifest says ${expected.crc32}`});
		}
	}
	for (const name of seen.keys()) problems.push({path: name, problem: 'extra: in the zip but not in the manifest'});
}
