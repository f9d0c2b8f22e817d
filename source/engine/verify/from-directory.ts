import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {directoryItems, hasManifest, type DirectoryItem} from '../restore/directory-items.js';
import {unsafeProblem, UnsafeBackupError} from '../entries/entry-rules.js';
import {throwIfAborted, usageError} from '../platform/errors.js';
import {ManifestLineError} from '../manifest/read.js';
import {MissingInBackupError, NoFollowTree, NotAFolderError} from '../walk/no-follow-tree.js';
import {IN_PROGRESS_MARKER, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {EXTERNAL_DATASTORE} from '../storage/types.js';
import {byName, comparePaths} from '../walk/source-walk.js';
import type {VerifyProblem, VerifyResult} from '../types.js';
import type {OnProgress} from '../types.js';
import {crcHex} from '../zip/reader.js';

/** CRC-32 of a file, streamed (zlib.crc32, Node ≥ 20.15). */
export async function fileCrc(file: string, signal?: AbortSignal): Promise<string> {
	return crcOf(fs.createReadStream(file, {signal}));
}

async function crcOf(input: fs.ReadStream): Promise<string> {
	let crc = 0;
	for await (const chunk of input as AsyncIterable<Buffer>) crc = zlib.crc32(chunk, crc);
	return crcHex(crc);
}

/**
 * Everything below crx-quickstart in path order (the manifest's), never
 * following a link: one sorted listing per level is held, not every name.
 */
function * sortedWalk(tree: NoFollowTree, folder: string): Generator<{name: string; dir: boolean}> {
	const entries = tree.list(folder).sort((a, b) => byName(a.name, b.name));
	for (const entry of entries) {
		const name = `${folder}/${entry.name}`;
		yield {name, dir: entry.isDirectory()};
		if (entry.isDirectory()) yield * sortedWalk(tree, name);
	}
}

/**
 * Checks a directory backup against its manifest: every file's size and CRC-32,
 * every folder present, and nothing in crx-quickstart/ that the manifest does not
 * name. Modes are not compared: the copy holds owner bits only, by design. The
 * manifest and a walk of the tree are merged as two streams in path order, so
 * memory follows the depth of the tree, not its size. Entries are read exactly
 * as restore reads them (directoryItems, NoFollowTree): what restore refuses,
 * verify reports with the same sentence, and stops.
 */
export async function verifyDirectory(root: string, signal?: AbortSignal, onProgress?: OnProgress): Promise<VerifyResult> {
	if (!hasManifest(root)) {
		throw usageError(`${root} has no ${MANIFEST_NAME}, so there is nothing to check it against (AEM's own directory backups carry none).`);
	}
	const problems: VerifyProblem[] = [];
	if (fs.existsSync(path.join(root, IN_PROGRESS_MARKER))) {
		problems.push({path: IN_PROGRESS_MARKER, problem: 'the backup never finished: its in-progress marker is still there'});
	}
	const reader = new NoFollowTree(root);
	const walker = new NoFollowTree(root);
	let files = 0;
	let bytes = 0;
	try {
		let walk: Generator<{name: string; dir: boolean}> | undefined;
		let walked: {name: string; dir: boolean} | undefined;
		const step = () => {
			walked = walk?.next().value ?? undefined;
		};
		for await (const item of directoryItems(root, reader, signal)) {
			throwIfAborted(signal);
			if (item.name === QUICKSTART || item.name === EXTERNAL_DATASTORE) {
				// Each top folder in turn (the manifest lists crx-quickstart's tree, then an external datastore's).
				for (; walked; step()) problems.push({path: walked.name, problem: 'extra: in the backup but not in the manifest'});
				// Opened as restore opens it: a link there is refused before anything is listed.
				reader.statFolder(item.name);
				walk = sortedWalk(walker, item.name);
				step();
			}
			for (; walked && comparePaths(walked.name, item.name) < 0; step()) problems.push({path: walked.name, problem: 'extra: in the backup but not in the manifest'});
			if (walked?.name === item.name) step();
			const size = await check(reader, item, problems, signal);
			if (size === undefined) continue;
			files++;
			bytes += size;
			onProgress?.(bytes, files, item.name);
		}
		for (; walked; step()) problems.push({path: walked.name, problem: 'extra: in the backup but not in the manifest'});
	} catch (error) {
		if (error instanceof UnsafeBackupError) problems.push(unsafeProblem(root, error));
		else if (error instanceof ManifestLineError || error instanceof SyntaxError) problems.push({path: MANIFEST_NAME, problem: `unreadable: ${error.message}`});
		else throw error;
	} finally {
		reader.close();
		walker.close();
	}
	return {ok: problems.length === 0, files, bytes, problems};
}

/** One manifest item against the backup: a problem noted, or the file's size when it was read. An unsafe entry throws. */
async function check(reader: NoFollowTree, item: DirectoryItem, problems: VerifyProblem[], signal?: AbortSignal): Promise<number | undefined> {
	const problem = (text: string) => {
		problems.push({path: item.name, problem: text});
		return undefined;
	};
	try {
		if (item.type === 'dir') {
			reader.statFolder(item.name);
			return undefined;
		}
		const {fd, stat} = reader.openFile(item.name);
		const input = fs.createReadStream('', {fd, autoClose: true, signal});
		try {
			if (!stat.isFile()) return problem('not a regular file, though the manifest says it is');
			if (stat.size !== item.size) {
				problem(`size is ${stat.size} bytes, the manifest says ${item.size}`);
			} else {
				const crc = await crcOf(input);
				if (crc !== item.crc32) problem(`damaged: CRC-32 is ${crc}, the manifest says ${item.crc32}`);
			}
			return stat.size;
		} finally {
			input.destroy();
		}
	} catch (error) {
		if (error instanceof MissingInBackupError) return problem('missing: in the manifest but not in the backup');
		if (error instanceof NotAFolderError) return problem('not a folder, though the manifest says it is');
		throw error;
	}
}
