import path from 'node:path';
import {BackupTree, unsafeRefusal, UnsafeBackupError} from '../entries/entry-rules.js';
import {CrxError, failure, throwIfAborted} from '../platform/errors.js';
import {DEFAULT_DIR_MODE, DEFAULT_FILE_MODE, EXECUTABLE_MODE, isControlScript, keptMode, startsWithShebang} from './rules.js';
import {stagedPath, type ExtractContext, type ExtractResult, type RestoreCheck} from './extract.js';
import {FolderModes} from './folder-modes.js';
import {createRestoredFile, FolderMaker, makeLinks, type RestoredLink} from './write.js';
import type {VerifyProblem} from '../types.js';
import {type ManifestMatcher, matchManifest, zipLayout} from '../manifest/match-zip.js';
import {asUnsafe, checkLinkSize, treeEntry, zipEntriesSync} from './zip-tree.js';
import {Yielder} from '../walk/yielder.js';
import {openZip, readEntryChecked, ZipFormatError, type ZipEntryInfo, type ZipReader} from '../zip/reader.js';

function open(file: string): ZipReader {
	try {
		return openZip(file);
	} catch (error) {
		throw failure(`${file} cannot be read as a zip (${(error as Error).message}): it is damaged or not a backup.`, error);
	}
}

/**
 * One sentence for whatever stopped a pass over the zip: an unsafe entry (exit 2),
 * damage (exit 1), or our own error as it is. In the extract pass only the zip's
 * own errors are damage; a write error is left for restore to describe.
 */
function refusal(file: string, caught: unknown, extracting = false): unknown {
	const error = asUnsafe(caught);
	if (error instanceof UnsafeBackupError) return unsafeRefusal(file, error);
	if (error instanceof CrxError || (extracting && !(error instanceof ZipFormatError))) return error;
	return failure(`${file} is damaged (${(error as Error).message}); nothing was restored.`, error);
}

export async function readLinkTarget(reader: ZipReader, entry: ZipEntryInfo, signal?: AbortSignal): Promise<string> {
	checkLinkSize(entry);
	const parts: Buffer[] = [];
	const read = await readEntryChecked(reader, entry, chunk => { parts.push(Buffer.from(chunk)); }, signal);
	if (read.crc32 !== entry.crc32) throw failure(`${entry.name} in the backup is damaged (CRC-32 mismatch); nothing was restored.`);
	return Buffer.concat(parts).toString('utf8');
}

/**
 * Pass 1, before anything is written: the whole central directory, through
 * BackupTree (the check verify makes too), and the zip against its manifest;
 * counts what --only keeps.
 */
export async function checkZip(file: string, context: Pick<ExtractContext, 'filter' | 'signal'>): Promise<RestoreCheck> {
	const reader = open(file);
	let files = 0;
	let bytes = 0;
	const problems: VerifyProblem[] = [];
	let matcher: ManifestMatcher | undefined;
	let ordered = false;
	try {
		const layout = await zipLayout(reader);
		ordered = layout.sorted;
		if (layout.manifest) matcher = await matchManifest(file, layout.manifest, layout.sorted, problems);
		const tree = new BackupTree(layout.sorted);
		const yielder = new Yielder();
		for (const entry of zipEntriesSync(reader)) {
			if (yielder.due()) await yielder.pause();
			throwIfAborted(context.signal);
			const matching = matcher?.see(entry);
			if (matching) await matching;
			tree.add(treeEntry(entry, entry.isSymlink ? await readLinkTarget(reader, entry, context.signal) : undefined));
			if (!context.filter.keeps(entry.name, entry.isDirectory)) continue;
			context.filter.note(entry.name);
			if (entry.isDirectory) continue;
			files++;
			bytes += entry.size;
		}
		tree.finish();
		await matcher?.finish();
	} catch (error) {
		throw refusal(file, error);
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

/**
 * Pass 2: writes the kept entries below `context.staging`, checking each CRC-32
 * as it streams. The tree is checked again (the zip may have changed since pass
 * 1), so no entry is written below a link or a file; links are made last, after
 * every file and folder, so nothing is ever written through one.
 */
export async function extractZip(file: string, context: ExtractContext): Promise<ExtractResult> {
	const reader = open(file);
	const folders = new FolderModes(context.ordered);
	const folderMaker = new FolderMaker(DEFAULT_DIR_MODE);
	const tree = new BackupTree(context.ordered);
	const links: RestoredLink[] = [];
	const madeExecutable: string[] = [];
	let files = 0;
	let bytes = 0;
	const yielder = new Yielder();
	try {
		for (const entry of zipEntriesSync(reader)) {
			if (yielder.due()) await yielder.pause();
			throwIfAborted(context.signal);
			const target = entry.isSymlink ? await readLinkTarget(reader, entry, context.signal) : undefined;
			const checked = treeEntry(entry, target);
			tree.add(checked);
			if (!context.filter.keeps(entry.name, entry.isDirectory)) continue;
			const destination = stagedPath(context, checked.name);
			if (entry.isDirectory) {
				folderMaker.make(destination);
				await folders.folder({path: destination, mode: keptMode(entry.mode ?? DEFAULT_DIR_MODE), mtime: entry.mtime});
				continue;
			}
			if (target !== undefined) {
				await folders.link(destination);
				links.push({path: destination, target});
				continue;
			}
			await folders.reach(destination);
			folderMaker.make(path.dirname(destination));
			const out = createRestoredFile(destination);
			try {
				let done = 0;
				const write = (chunk: Buffer) => {
					out.write(chunk);
					done += chunk.length;
					context.progress(bytes + done, files, entry.name);
				};
				// A small file in one synchronous read and write (the CRC is the one out computes as it writes).
				const whole = reader.readWhole(entry);
				if (!whole) await readEntryChecked(reader, entry, write, context.signal);
				else if (whole.length > 0) write(whole);
				throwIfAborted(context.signal);
				if (out.crc32() !== entry.crc32) {
					throw failure(`${entry.name} in ${file} is damaged (CRC-32 ${out.crc32()}, expected ${entry.crc32}); nothing was restored.`);
				}
				let mode = entry.mode === undefined ? DEFAULT_FILE_MODE : keptMode(entry.mode);
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
			context.progress(bytes, files, entry.name);
		}
		tree.finish();
		await folders.close();
		// Every parent is a real folder we made (the tree refused entries under links), and the staging folder is ours alone (0700).
		await makeLinks(links, DEFAULT_DIR_MODE);
	} catch (error) {
		throw refusal(file, error, true);
	} finally {
		reader.close();
	}
	return {files, bytes, madeExecutable, folders};
}
