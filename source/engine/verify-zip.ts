import {throwIfAborted} from './errors.js';
import {type ManifestMatcher, matchManifest, zipLayout} from './manifest-match.js';
import {MANIFEST_NAME} from './paths.js';
import type {VerifyProblem, VerifyResult} from './types.js';
import type {VerifyProgress} from './verify.js';
import {openZip, readEntryChecked, UnsafeEntryError, type ZipReader} from './zip/reader.js';

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
	let matcher: ManifestMatcher | undefined;
	try {
		// A first pass over the central directory only: is our manifest there, and are the entries in its order?
		const layout = await zipLayout(reader);
		throwIfAborted(signal);
		if (layout.manifest) matcher = await matchManifest(file, layout.manifest, layout.sorted, problems);
		for await (const entry of reader.entries()) {
			throwIfAborted(signal);
			if (entry.name === MANIFEST_NAME) continue;
			await matcher?.see(entry);
			if (entry.isDirectory) continue;
			try {
				const read = await readEntryChecked(reader, entry, undefined, signal);
				throwIfAborted(signal);
				if (read.crc32 !== entry.crc32) problems.push({path: entry.name, problem: `damaged: CRC-32 is ${read.crc32}, the zip says ${entry.crc32}`});
			} catch (error) {
				if (signal?.aborted) throw error;
				problems.push({path: entry.name, problem: `damaged: ${reason(error)}`});
			}
			files++;
			bytes += entry.size;
			onProgress?.(files, bytes, entry.name);
		}
		await matcher?.finish();
	} catch (error) {
		if (signal?.aborted) throw error;
		const what = error instanceof UnsafeEntryError ? 'holds an unsafe entry name' : 'is damaged';
		problems.push({path: file, problem: `${what}: ${reason(error)}`});
	} finally {
		matcher?.close();
		reader.close();
	}
	return {ok: problems.length === 0, files, bytes, problems};
}
