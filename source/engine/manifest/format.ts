import fs from 'node:fs';
import type {ManifestEntry, ManifestHeader} from '../types.js';

/**
 * The manifest is JSON Lines: one ManifestHeader line, then one ManifestEntry a line,
 * so that a million-file backup is written and read as a stream, never held as one
 * JSON document.
 */
export function serializeManifestHeader(header: ManifestHeader): string {
	return JSON.stringify(header) + '\n';
}

export function serializeManifestEntry(entry: ManifestEntry): string {
	return JSON.stringify(entry) + '\n';
}

export function parseManifestHeader(line: string): ManifestHeader {
	const header = JSON.parse(line) as ManifestHeader;
	if (header?.format !== 'crx-backup-manifest') throw new Error('not a crx-backup manifest');
	return header;
}

/** The header from the start of a manifest: its first line, or all of `text` when it holds no newline. */
export function parseManifestStart(text: string): ManifestHeader {
	const end = text.indexOf('\n');
	return parseManifestHeader(end === -1 ? text : text.slice(0, end));
}

/** Reads the header line only (cheap: `list` calls this for every backup). */
export async function readManifestHeader(file: string): Promise<ManifestHeader | undefined> {
	let handle: fs.promises.FileHandle | undefined;
	try {
		// A backup folder may be another user's: a FIFO (or a link to one) at the manifest's name blocked this
		// open forever, and with it list, prune, status and the nightly run (SIGTERM too: the open holds a thread).
		handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		if (!(await handle.stat()).isFile()) return undefined;
		const buffer = Buffer.alloc(64 * 1024);
		const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
		return parseManifestStart(buffer.subarray(0, bytesRead).toString('utf8'));
	} catch {
		return undefined;
	} finally {
		await handle?.close();
	}
}
