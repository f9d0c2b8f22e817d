import fs from 'node:fs';
import path from 'node:path';
import {serializeManifestEntry, serializeManifestHeader} from './format.js';
import {MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {replaceWithPrivateFile} from '../platform/safe-place.js';
import {comparePaths} from '../walk/source-walk.js';
import {StateReader, type StateRecord} from '../walk/state-file.js';
import type {ManifestEntry, ManifestHeader} from '../types.js';

/** The final state of both phases as one stream in path order (the datastore's subtree slots in where it sorts). */
export function* finalState(files: string[]): Generator<StateRecord> {
	const readers = files.map(file => new StateReader(file));
	try {
		for (;;) {
			let pick: StateReader | undefined;
			for (const reader of readers) {
				const head = reader.peek();
				if (head && (!pick || comparePaths(head.rel, pick.peek()!.rel) < 0)) pick = reader;
			}
			if (!pick) return;
			yield pick.next()!;
		}
	} finally {
		for (const reader of readers) reader.close();
	}
}

export function manifestEntry(record: StateRecord, top = QUICKSTART): ManifestEntry {
	const name = record.rel ? `${top}/${record.rel}` : top;
	if (record.type === 'file') return {path: name, type: 'file', size: record.size, mode: record.mode & 0o7777, mtimeMs: record.mtimeMs, crc32: record.crc32.toString(16).padStart(8, '0')};
	return {path: name, type: 'dir', mode: record.mode & 0o7777, mtimeMs: record.mtimeMs};
}

/** Writes the manifest (JSON Lines) under a temp name and renames it into place: it never exists half-written. */
/** A second top folder (an external datastore): its own folder's record and final state, written after crx-quickstart's (it sorts after). */
export interface ExtraTree {
	top: string;
	rootDir: StateRecord;
	stateFile: string;
}

export async function writeManifest(root: string, header: ManifestHeader, rootDir: StateRecord, stateFiles: string[], extra?: ExtraTree): Promise<string> {
	const file = path.join(root, MANIFEST_NAME);
	const temp = `${file}.tmp`;
	// Never opened by path with 'w': a link planted at the name in the target would be written through, as root, to wherever it points.
	const fd = replaceWithPrivateFile(temp);
	try {
		let batch = serializeManifestHeader(header) + serializeManifestEntry(manifestEntry(rootDir));
		const records = function * () {
			for (const record of finalState(stateFiles)) yield manifestEntry(record);
			if (!extra) return;
			yield manifestEntry(extra.rootDir, extra.top);
			for (const record of finalState([extra.stateFile])) yield manifestEntry(record, extra.top);
		};
		for (const entry of records()) {
			batch += serializeManifestEntry(entry);
			if (batch.length > 1 << 20) {
				fs.writeSync(fd, batch);
				batch = '';
				await new Promise(resolve => setImmediate(resolve));
			}
		}
		fs.writeSync(fd, batch);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
	fs.renameSync(temp, file);
	return file;
}
