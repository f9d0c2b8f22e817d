import fs from 'node:fs';
import path from 'node:path';
import {throwIfAborted} from './errors.js';
import type {Mirror} from './mirror.js';
import {MANIFEST_NAME, QUICKSTART} from './paths.js';
import {ZipWriter} from './zip/writer.js';

export interface ZipStepOptions {
	stagingRoot: string;
	partialZip: string;
	mirror: Mirror;
	paths: string[];
	signal?: AbortSignal;
	onProgress: (bytesDone: number, bytesTotal: number, filesDone: number, filesTotal: number, file?: string) => void;
}

/**
 * Zips the staging folder: the manifest first, then crx-quickstart in path order,
 * each entry carrying the source's full unix mode (the staging copy holds owner
 * bits only). The zip is written under its .partial name; the caller renames it.
 */
export async function zipStaging(options: ZipStepOptions): Promise<number> {
	const {mirror, paths, stagingRoot} = options;
	let bytesTotal = 0;
	for (const rel of paths) bytesTotal += mirror.captured.get(rel)?.size ?? 0;
	const manifest = path.join(stagingRoot, MANIFEST_NAME);
	const manifestStat = await fs.promises.stat(manifest);
	bytesTotal += manifestStat.size;
	let bytesDone = 0;
	let filesDone = 0;
	let current: string | undefined;
	const writer = await ZipWriter.open(options.partialZip, {
		signal: options.signal,
		onProgress: bytes => {
			bytesDone += bytes;
			options.onProgress(bytesDone, bytesTotal, filesDone, paths.length, current);
		},
	});
	try {
		await writer.add({name: MANIFEST_NAME, kind: 'file', source: manifest, size: manifestStat.size, mode: 0o100600, mtimeMs: manifestStat.mtimeMs});
		for (const rel of paths) {
			throwIfAborted(options.signal);
			const name = rel ? `${QUICKSTART}/${rel}` : QUICKSTART;
			current = rel;
			const file = mirror.captured.get(rel);
			if (file) {
				await writer.add({name, kind: 'file', source: path.join(stagingRoot, QUICKSTART, rel), size: file.size, mode: file.mode, mtimeMs: file.mtimeMs});
			} else {
				const dir = mirror.dirs.get(rel)!;
				await writer.add({name: `${name}/`, kind: 'dir', mode: dir.mode, mtimeMs: dir.mtimeMs});
			}
			filesDone++;
		}
		const {bytes} = await writer.close();
		return bytes;
	} catch (error) {
		await writer.abort().catch(() => undefined);
		throw error;
	}
}
