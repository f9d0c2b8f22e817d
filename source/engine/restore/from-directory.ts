import fs from 'node:fs';
import path from 'node:path';
import {directoryItems, hasManifest, type DirectoryItem} from './directory-items.js';
import {unsafeRefusal, UnsafeBackupError} from '../entries/entry-rules.js';
import {CrxError, failure, throwIfAborted} from '../platform/errors.js';
import {linkInBackup, MissingInBackupError, NoFollowTree, NotAFolderError} from '../walk/no-follow-tree.js';
import {DEFAULT_DIR_MODE, keptMode} from './rules.js';
import {stagedPath, type ExtractContext, type ExtractResult, type RestoreCheck} from './extract.js';
import {FolderModes} from './folder-modes.js';
import {createRestoredFile, makeLinks, type RestoredLink} from './write.js';

/**
 * A directory backup restores by copy. With a manifest, the manifest drives it:
 * it holds the original modes (the copy has owner bits only) and each file's
 * size and CRC-32, checked as the file streams. Without one (AEM's own
 * directory backups), the tree is walked and its modes kept. Either way every
 * file is read through NoFollowTree: no link in the backup is ever followed.
 */

/** One sentence, nothing restored, for what stopped a pass over the backup. */
function refusal(root: string, error: unknown): unknown {
	if (error instanceof UnsafeBackupError) return unsafeRefusal(root, error);
	if (error instanceof MissingInBackupError) return failure(`${error.message} is missing from the backup; nothing was restored.`);
	if (error instanceof NotAFolderError) return failure(`${error.message} is not a folder in the backup, though its manifest says it is; nothing was restored.`);
	if (error instanceof CrxError || (error as NodeJS.ErrnoException).code !== undefined) return error;
	return failure(`${root} has a damaged manifest (${(error as Error).message}); nothing was restored.`, error);
}

export async function checkDirectory(root: string, context: Pick<ExtractContext, 'filter' | 'signal'>): Promise<RestoreCheck> {
	let files = 0;
	let bytes = 0;
	const reader = new NoFollowTree(root);
	try {
		for await (const item of directoryItems(root, reader, context.signal)) {
			throwIfAborted(context.signal);
			if (item.type === 'dir') reader.statFolder(item.name);
			if (!context.filter.keeps(item.name, item.type === 'dir')) continue;
			context.filter.note(item.name);
			if (item.type !== 'file') continue;
			const stat = reader.lstat(item.name);
			if (stat.isSymbolicLink()) throw linkInBackup(item.name);
			if (!stat.isFile()) throw failure(`${item.name} in the backup is not a regular file; nothing was restored.`);
			// Caught here, before anything is written; a CRC that disagrees can only be caught as the file streams.
			if (item.size !== undefined && stat.size !== item.size) {
				throw failure(`${item.name} in the backup is ${stat.size} bytes, its manifest says ${item.size}: the backup is damaged; nothing was restored.`);
			}
			files++;
			bytes += stat.size;
		}
	} catch (error) {
		throw refusal(root, error);
	} finally {
		reader.close();
	}
	// A manifest lists the tree in path order; a walk (AEM's own directory backups) does not.
	const manifest = hasManifest(root);
	return {files, bytes, ordered: manifest};
}

export async function copyDirectory(root: string, context: ExtractContext): Promise<ExtractResult> {
	const folders = new FolderModes(context.ordered);
	const links: RestoredLink[] = [];
	const reader = new NoFollowTree(root);
	let files = 0;
	let bytes = 0;
	try {
		for await (const item of directoryItems(root, reader, context.signal)) {
			throwIfAborted(context.signal);
			if (!context.filter.keeps(item.name, item.type === 'dir')) continue;
			const destination = stagedPath(context, item.name);
			if (item.type === 'symlink') {
				await folders.link(destination);
				links.push({path: destination, target: item.target!});
				continue;
			}
			if (item.type === 'dir') {
				const stat = reader.statFolder(item.name);
				await fs.promises.mkdir(destination, {recursive: true, mode: DEFAULT_DIR_MODE});
				await folders.folder({path: destination, mode: keptMode(item.mode ?? stat.mode), mtime: item.mtime ?? stat.mtime});
				continue;
			}
			await folders.reach(destination);
			await fs.promises.mkdir(path.dirname(destination), {recursive: true, mode: DEFAULT_DIR_MODE});
			bytes += await copyFile(reader, destination, item, context, bytes, files);
			files++;
			context.progress(bytes, files, item.name);
		}
		await folders.close();
		// Links last, after every file: the tree refused entries below a link, and the staging folder is ours alone (0700).
		await makeLinks(links, DEFAULT_DIR_MODE);
	} catch (error) {
		throw refusal(root, error);
	} finally {
		reader.close();
	}
	return {files, bytes, madeExecutable: [], folders};
}

/** Copies one file, checking the manifest's size and CRC-32 when there is one. */
async function copyFile(reader: NoFollowTree, destination: string, item: DirectoryItem, context: ExtractContext, bytesBefore: number, files: number): Promise<number> {
	const {fd, stat} = reader.openFile(item.name);
	const input = fs.createReadStream('', {fd, autoClose: true, signal: context.signal});
	try {
		if (!stat.isFile()) throw failure(`${item.name} in the backup is not a regular file; nothing was restored.`);
		const out = createRestoredFile(destination);
		try {
			let done = 0;
			for await (const chunk of input as AsyncIterable<Buffer>) {
				out.write(chunk);
				done += chunk.length;
				context.progress(bytesBefore + done, files, item.name);
			}
			if (item.size !== undefined && done !== item.size) {
				throw failure(`${item.name} in the backup is ${done} bytes, its manifest says ${item.size}: the backup is damaged; nothing was restored.`);
			}
			if (item.crc32 !== undefined && out.crc32() !== item.crc32) {
				throw failure(`${item.name} in the backup is damaged (CRC-32 ${out.crc32()}, the manifest says ${item.crc32}); nothing was restored.`);
			}
			out.finish(keptMode(item.mode ?? stat.mode), item.mtime ?? stat.mtime);
			return done;
		} finally {
			out.abort();
		}
	} finally {
		input.destroy();
	}
}
