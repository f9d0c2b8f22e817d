import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {walkTree} from './catalog-walk.js';
import {throwIfAborted, usageError} from './errors.js';
import {openManifestEntries} from './manifest-entries.js';
import {IN_PROGRESS_MARKER, MANIFEST_NAME, QUICKSTART} from './paths.js';
import type {VerifyProblem, VerifyResult} from './types.js';
import type {VerifyProgress} from './verify.js';
import {crcHex} from './zip/reader.js';

/** CRC-32 of a file, streamed (zlib.crc32, Node ≥ 20.15). */
export async function fileCrc(file: string, signal?: AbortSignal): Promise<string> {
	let crc = 0;
	for await (const chunk of fs.createReadStream(file, {signal}) as AsyncIterable<Buffer>) crc = zlib.crc32(chunk, crc);
	return crcHex(crc);
}

/**
 * Checks a directory backup against its manifest: every file's size and CRC-32,
 * every folder present, and nothing in crx-quickstart/ that the manifest does not
 * name. Modes are not compared: the copy holds owner bits only, by design.
 */
export async function verifyDirectory(root: string, signal?: AbortSignal, onProgress?: VerifyProgress): Promise<VerifyResult> {
	const manifestFile = path.join(root, MANIFEST_NAME);
	if (!fs.existsSync(manifestFile)) {
		throw usageError(`${root} has no ${MANIFEST_NAME}, so there is nothing to check it against (AEM's own directory backups carry none).`);
	}
	const problems: VerifyProblem[] = [];
	if (fs.existsSync(path.join(root, IN_PROGRESS_MARKER))) {
		problems.push({path: IN_PROGRESS_MARKER, problem: 'the backup never finished: its in-progress marker is still there'});
	}
	// Manifest paths, for the "extra file" pass: a Set of names is the one thing held per file.
	const named = new Set<string>();
	let files = 0;
	let bytes = 0;
	const {entries} = await openManifestEntries(fs.createReadStream(manifestFile));
	for await (const entry of entries) {
		throwIfAborted(signal);
		named.add(entry.path);
		const file = path.join(root, ...entry.path.split('/'));
		const stat = await fs.promises.lstat(file).catch(() => undefined);
		if (!stat) {
			problems.push({path: entry.path, problem: 'missing: in the manifest but not in the backup'});
			continue;
		}
		if (entry.type === 'dir') {
			if (!stat.isDirectory()) problems.push({path: entry.path, problem: 'not a folder, though the manifest says it is'});
			continue;
		}
		if (!stat.isFile()) {
			problems.push({path: entry.path, problem: 'not a regular file, though the manifest says it is'});
			continue;
		}
		if (stat.size !== entry.size) {
			problems.push({path: entry.path, problem: `size is ${stat.size} bytes, the manifest says ${entry.size}`});
		} else {
			const crc = await fileCrc(file, signal);
			if (crc !== entry.crc32) problems.push({path: entry.path, problem: `damaged: CRC-32 is ${crc}, the manifest says ${entry.crc32}`});
		}
		files++;
		bytes += stat.size;
		onProgress?.(files, bytes, entry.path);
	}
	for await (const item of walkTree(path.join(root, QUICKSTART), signal)) {
		const name = `${QUICKSTART}/${item.relative}`;
		if (!named.has(name)) problems.push({path: name, problem: 'extra: in the backup but not in the manifest'});
	}
	return {ok: problems.length === 0, files, bytes, problems};
}
