import fs from 'node:fs';
import path from 'node:path';
import {failure, throwIfAborted, usageError} from './errors.js';
import {MANIFEST_NAME} from './paths.js';
import {checkLinkTarget, DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, destinationOf, EXECUTABLE_MODE, isControlScript, PERMISSION_BITS, startsWithShebang} from './restore-rules.js';
import type {ExtractContext, ExtractResult, RestoreCheck} from './restore-source.js';
import {FolderModes} from './restore-folders.js';
import {createRestoredFile, FolderMaker} from './restore-write.js';
import type {VerifyProblem} from './types.js';
import {type ManifestMatcher, matchManifest, zipLayout} from './manifest-match.js';
import {openZip, readEntryChecked, UnsafeEntryError, type ZipEntryInfo, type ZipReader} from './zip/reader.js';

/** Link targets are paths, not data: anything longer is not a link we would make. */
const MAX_LINK_TARGET = 4096;

function open(file: string): ZipReader {
	try {
		return openZip(file);
	} catch (error) {
		throw failure(`${file} cannot be read as a zip (${(error as Error).message}): it is damaged or not a backup.`, error);
	}
}

/** Iterates entries but the manifest, turning an unsafe name into a usage error. */
async function * entriesOf(file: string, reader: ZipReader): AsyncGenerator<ZipEntryInfo> {
	try {
		for await (const entry of reader.entries()) {
			if (entry.name !== MANIFEST_NAME) yield entry;
		}
	} catch (error) {
		if (error instanceof UnsafeEntryError) throw usageError(`${file} holds an unsafe entry (${error.message}); nothing was restored.`);
		throw failure(`${file} is damaged (${(error as Error).message}); nothing was restored.`, error);
	}
}

async function readLinkTarget(reader: ZipReader, entry: ZipEntryInfo, signal?: AbortSignal): Promise<string> {
	if (entry.size > MAX_LINK_TARGET) throw usageError(`The backup holds a symbolic link ${entry.name} with a ${entry.size}-byte target; nothing was restored.`);
	const parts: Buffer[] = [];
	const read = await readEntryChecked(reader, entry, chunk => { parts.push(Buffer.from(chunk)); }, signal);
	if (read.crc32 !== entry.crc32) throw failure(`${entry.name} in the backup is damaged (CRC-32 mismatch); nothing was restored.`);
	return Buffer.concat(parts).toString('utf8');
}

/**
 * Pass 1, before anything is written: the whole central directory. Refuses
 * names outside crx-quickstart/ (absolute, `..`, backslash traversal) and links
 * whose target leaves the restore folder, and a zip that disagrees with its
 * manifest; counts what --only keeps.
 */
export async function checkZip(file: string, to: string, context: Pick<ExtractContext, 'filter' | 'signal'>): Promise<RestoreCheck> {
	const reader = open(file);
	let files = 0;
	let bytes = 0;
	const problems: VerifyProblem[] = [];
	let matcher: ManifestMatcher | undefined;
	let ordered = false;
	try {
		let layout;
		try {
			layout = await zipLayout(reader);
		} catch (error) {
			if (error instanceof UnsafeEntryError) throw usageError(`${file} holds an unsafe entry (${error.message}); nothing was restored.`);
			throw failure(`${file} is damaged (${(error as Error).message}); nothing was restored.`, error);
		}
		ordered = layout.sorted;
		if (layout.manifest) matcher = await matchManifest(file, layout.manifest, layout.sorted, problems);
		for await (const entry of entriesOf(file, reader)) {
			throwIfAborted(context.signal);
			destinationOf(to, entry.name);
			await matcher?.see(entry);
			if (entry.isSymlink) checkLinkTarget(to, entry.name, await readLinkTarget(reader, entry, context.signal));
			if (!context.filter.keeps(entry.name, entry.isDirectory)) continue;
			context.filter.note(entry.name);
			if (entry.isDirectory) continue;
			files++;
			bytes += entry.size;
		}
		await matcher?.finish();
	} finally {
		matcher?.close();
		reader.close();
	}
	if (problems.length > 0) {
		// Our zips carry a manifest: a zip that disagrees with it (a size, a CRC, an entry missing or extra) is damaged, so nothing is restored.
		const [first] = problems;
		const more = problems.length > 1 ? ` and ${problems.length - 1} more` : '';
		throw failure(`${file} does not match its manifest (${first!.path}: ${first!.problem}${more}); nothing was restored. \`crx-backup verify\` lists every problem.`);
	}
	return {files, bytes, ordered};
}

/** Pass 2: writes the kept entries below `context.staging`, checking each CRC-32 as it streams. */
export async function extractZip(file: string, context: ExtractContext): Promise<ExtractResult> {
	const reader = open(file);
	const folders = new FolderModes(context.ordered);
	const folderMaker = new FolderMaker(DEFAULT_DIR_MODE);
	const links: Array<{path: string; target: string}> = [];
	const madeExecutable: string[] = [];
	let files = 0;
	let bytes = 0;
	try {
		for await (const entry of entriesOf(file, reader)) {
			throwIfAborted(context.signal);
			if (!context.filter.keeps(entry.name, entry.isDirectory)) continue;
			const destination = destinationOf(context.staging, entry.name);
			if (entry.isDirectory) {
				folderMaker.make(destination);
				await folders.folder({path: destination, mode: (entry.mode ?? DEFAULT_DIR_MODE) & PERMISSION_BITS, mtime: entry.mtime});
				continue;
			}
			if (entry.isSymlink) {
				// Links are made last, so no entry is ever written through one made earlier.
				const target = await readLinkTarget(reader, entry, context.signal);
				checkLinkTarget(context.to, entry.name, target); // Again: the zip may have changed since pass 1.
				await folders.link(destination);
				links.push({path: destination, target});
				continue;
			}
			await folders.reach(destination);
			folderMaker.make(path.dirname(destination));
			const out = createRestoredFile(destination);
			try {
				let done = 0;
				await readEntryChecked(reader, entry, chunk => {
					out.write(chunk);
					done += chunk.length;
					context.progress(entry.name, bytes + done, files);
				}, context.signal);
				throwIfAborted(context.signal);
				if (out.crc32() !== entry.crc32) {
					throw failure(`${entry.name} in ${file} is damaged (CRC-32 ${out.crc32()}, expected ${entry.crc32}); nothing was restored.`);
				}
				let mode = entry.mode === undefined ? DEFAULT_FILE_MODE : entry.mode & PERMISSION_BITS;
				if (entry.mode === undefined && (isControlScript(entry.name) || startsWithShebang(out.head()))) {
					mode = EXECUTABLE_MODE;
					madeExecutable.push(entry.name);
				}
				out.finish(mode, entry.mtime);
			} finally {
				out.abort();
			}
			files++;
			bytes += entry.size;
			context.progress(entry.name, bytes, files);
		}
		await folders.close();
		for (const link of links) {
			await fs.promises.mkdir(path.dirname(link.path), {recursive: true, mode: DEFAULT_DIR_MODE});
			await fs.promises.symlink(link.target, link.path);
		}
	} finally {
		reader.close();
	}
	return {files, bytes, madeExecutable, folders};
}
