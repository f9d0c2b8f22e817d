import fs from 'node:fs';
import path from 'node:path';
import {throwIfAborted} from '../platform/errors.js';
import {MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {isDatastoreRecord} from './stages.js';
import type {StateRecord} from '../walk/state-file.js';
import {finalState, type ExtraTree} from '../manifest/write.js';
import type {OnProgress} from '../types.js';
import {ZipWriter} from '../zip/writer.js';

export interface ZipStepOptions {
	stagingRoot: string;
	/** The source crx-quickstart: its datastore records are read from it (see capturesOnly). */
	source: string;
	partialZip: string;
	rootDir: StateRecord;
	stateFiles: string[];
	/** A second top folder (an external datastore), staged in full under stagingRoot/top. */
	extra?: ExtraTree;
	files: number;
	bytes: number;
	signal?: AbortSignal;
	/** Bytes and files zipped so far; the totals are `bytes` (plus the manifest) and `files`. */
	onProgress: OnProgress;
}

/**
 * Zips the staging folder: the manifest first, then crx-quickstart in path order,
 * each entry carrying the source's full unix mode (the staging copy holds owner
 * bits only). Datastore blobs were not staged: they are read from the source.
 * Every file must still have the size and CRC-32 the last stage recorded, or
 * the zip fails.
 * The zip is written under its .partial name; the caller renames it.
 */
export async function zipStaging(options: ZipStepOptions): Promise<number> {
	const {stagingRoot} = options;
	const manifest = path.join(stagingRoot, MANIFEST_NAME);
	const manifestStat = fs.statSync(manifest);
	let bytesDone = 0;
	let filesDone = 0;
	let current: string | undefined;
	// The .partial name was reserved before stage 1 (prepareStaging); the central directory spills into the
	// private staging folder, not beside the zip where another user may have planted the name.
	const writer = await ZipWriter.open(options.partialZip, {
		reserved: true, spillPath: path.join(stagingRoot, '.central-directory.tmp'),
		signal: options.signal,
		onProgress: bytes => {
			bytesDone += bytes;
			options.onProgress(bytesDone, filesDone, current);
		},
	});
	try {
		await writer.add({name: MANIFEST_NAME, kind: 'file', source: manifest, size: manifestStat.size, mode: 0o100600, mtimeMs: manifestStat.mtimeMs});
		await writer.add({name: `${QUICKSTART}/`, kind: 'dir', mode: options.rootDir.mode, mtimeMs: options.rootDir.mtimeMs});
		for (const record of finalState(options.stateFiles)) {
			throwIfAborted(options.signal);
			const name = `${QUICKSTART}/${record.rel}`;
			current = record.rel;
			if (record.type === 'file') {
				const fromSource = isDatastoreRecord(record.rel);
				await writer.add({
					name, kind: 'file', size: record.size, mode: record.mode, mtimeMs: record.mtimeMs,
					source: fromSource ? path.join(options.source, record.rel) : path.join(stagingRoot, QUICKSTART, record.rel),
					expectCrc32: record.crc32, live: fromSource,
				});
				filesDone++;
			} else {
				await writer.add({name: `${name}/`, kind: 'dir', mode: record.mode, mtimeMs: record.mtimeMs});
			}
		}
		const {extra} = options;
		if (extra) {
			await writer.add({name: `${extra.top}/`, kind: 'dir', mode: extra.rootDir.mode, mtimeMs: extra.rootDir.mtimeMs});
			for (const record of finalState([extra.stateFile])) {
				throwIfAborted(options.signal);
				current = `${extra.top}/${record.rel}`;
				if (record.type !== 'file') {
					await writer.add({name: `${current}/`, kind: 'dir', mode: record.mode, mtimeMs: record.mtimeMs});
					continue;
				}
				await writer.add({
					name: current, kind: 'file', size: record.size, mode: record.mode, mtimeMs: record.mtimeMs,
					source: path.join(stagingRoot, extra.top, record.rel), expectCrc32: record.crc32, live: false,
				});
				filesDone++;
			}
		}
		const {bytes} = await writer.close();
		return bytes;
	} catch (error) {
		await writer.abort().catch(() => undefined);
		throw error;
	}
}
