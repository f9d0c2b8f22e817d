import {BackupTree, unsafeProblem, UnsafeBackupError} from '../entries/entry-rules.js';
import {throwIfAborted} from '../platform/errors.js';
import {type ManifestMatcher, matchManifest, zipLayout} from '../manifest/match-zip.js';
import type {VerifyProblem, VerifyResult} from '../types.js';
import type {OnProgress} from '../types.js';
import zlib from 'node:zlib';
import {asUnsafe, checkLinkSize, treeEntry, zipEntriesSync} from '../restore/zip-tree.js';
import {Yielder} from '../walk/yielder.js';
import {crcHex, openZip, readEntryChecked, type ZipReader} from '../zip/reader.js';

const reason = (error: unknown) => (error as Error)?.message ?? String(error);

/**
 * Reads every entry of a zip and checks its data against the CRC-32 in the
 * central directory. When the zip starts with our manifest, the
 * entries must also match it: none missing, none extra, sizes and CRCs equal.
 * AEM's own zips have no manifest and are checked by CRC alone. Every entry
 * also passes BackupTree, the check restore makes: a zip restore would refuse
 * is never called intact, and the problem is restore's own sentence.
 */
export async function verifyZip(file: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<VerifyResult> {
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
		const tree = new BackupTree(layout.sorted);
		const yielder = new Yielder();
		for (const entry of zipEntriesSync(reader)) {
			if (yielder.due()) await yielder.pause();
			throwIfAborted(signal);
			const matching = matcher?.see(entry);
			if (matching) await matching;
			if (entry.isSymlink) checkLinkSize(entry);
			if (entry.isDirectory && !entry.isSymlink) {
				tree.add(treeEntry(entry));
				continue;
			}
			const link: Buffer[] = [];
			try {
				// A small file is read and checked here, synchronously: a promise per entry cost more than its CRC.
				const whole = entry.isSymlink ? undefined : reader.readWhole(entry);
				const read = whole ? {crc32: crcHex(zlib.crc32(whole))} : await readEntryChecked(reader, entry, entry.isSymlink ? chunk => { link.push(Buffer.from(chunk)); } : undefined, signal);
				throwIfAborted(signal);
				if (read.crc32 !== entry.crc32) problems.push({path: entry.name, problem: `damaged: CRC-32 is ${read.crc32}, the zip says ${entry.crc32}`});
			} catch (error) {
				if (signal?.aborted) throw error;
				problems.push({path: entry.name, problem: `damaged: ${reason(error)}`});
			}
			tree.add(treeEntry(entry, entry.isSymlink ? Buffer.concat(link).toString('utf8') : undefined));
			files++;
			bytes += entry.size;
			onProgress?.(bytes, files, entry.name);
		}
		tree.finish();
		await matcher?.finish();
	} catch (caught) {
		if (signal?.aborted) throw caught;
		const error = asUnsafe(caught);
		problems.push(error instanceof UnsafeBackupError ? unsafeProblem(file, error) : {path: file, problem: `is damaged: ${reason(error)}`});
	} finally {
		matcher?.close();
		reader.close();
	}
	return {ok: problems.length === 0, files, bytes, problems};
}
