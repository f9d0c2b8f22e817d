import fs from 'node:fs';
import path from 'node:path';
import {serializeManifestEntry, serializeManifestHeader} from './manifest.js';
import type {Mirror} from './mirror.js';
import {MANIFEST_NAME, QUICKSTART} from './paths.js';
import type {ManifestEntry, ManifestHeader} from './types.js';

/** Every path of the backup in order, folders before what they hold (the order zip entries take too). */
export function orderedPaths(mirror: Mirror): string[] {
	return [...mirror.dirs.keys(), ...mirror.captured.keys()].sort(comparePaths);
}

/** Sorts by path segments so that 'a/b' comes right after 'a' (a plain string sort puts 'a-b' between them). */
export function comparePaths(a: string, b: string): number {
	const left = a.split('/');
	const right = b.split('/');
	for (let i = 0; i < Math.min(left.length, right.length); i++) {
		if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
	}
	return left.length - right.length;
}

export function entryFor(mirror: Mirror, rel: string): ManifestEntry {
	const file = mirror.captured.get(rel);
	const name = rel ? `${QUICKSTART}/${rel}` : QUICKSTART;
	if (file) return {path: name, type: 'file', size: file.size, mode: file.mode & 0o7777, mtimeMs: file.mtimeMs, crc32: file.crc32.toString(16).padStart(8, '0')};
	const dir = mirror.dirs.get(rel)!;
	return {path: name, type: 'dir', mode: dir.mode & 0o7777, mtimeMs: dir.mtimeMs};
}

/** Writes the manifest (JSON Lines) under a temp name and renames it into place: it never exists half-written. */
export async function writeManifest(root: string, header: ManifestHeader, mirror: Mirror, paths: string[]): Promise<string> {
	const file = path.join(root, MANIFEST_NAME);
	const temp = `${file}.tmp`;
	const handle = await fs.promises.open(temp, 'w', 0o600);
	try {
		let batch = serializeManifestHeader(header);
		for (const rel of paths) {
			batch += serializeManifestEntry(entryFor(mirror, rel));
			if (batch.length > 1 << 20) {
				await handle.write(batch);
				batch = '';
			}
		}
		await handle.write(batch);
		await handle.sync();
	} finally {
		await handle.close();
	}
	await fs.promises.rename(temp, file);
	return file;
}
