import fs from 'node:fs';
import path from 'node:path';
import {QUICKSTART} from '../platform/paths.js';
import {walkWithoutFollowing} from '../walk/tree-walk.js';
import type {BackupRecord} from '../types.js';

/**
 * What deleting a backup would free: the bytes of its regular files that no other
 * name holds (st_nlink 1). A file a --link-dest backup shares with the night
 * before or after has st_nlink 2 or more and is not counted: its data stays while
 * another backup holds it. Walked (an lstat a file) only for directory backups in a
 * --link-dest chain, those whose manifest names a previous one or that another
 * listed backup names: any other backup adds all its bytes.
 */
export async function addedBytes(root: string): Promise<number> {
	let bytes = 0;
	for await (const item of walkWithoutFollowing(path.join(root, QUICKSTART))) {
		if (item.kind !== 'file') continue;
		const stat = await fs.promises.lstat(item.path).catch(() => undefined);
		if (stat?.nlink === 1) bytes += stat.size;
	}
	return bytes;
}

/** Sets `addedBytes` on the complete directory backups of a --link-dest chain among `records`. */
export async function markAddedBytes(records: BackupRecord[]): Promise<void> {
	const named = new Set(records.map(record => record.manifest?.linkedFrom).filter(Boolean) as string[]);
	for (const record of records) {
		if (record.kind !== 'directory' || record.status !== 'complete' || record.leftover) continue;
		if (!record.manifest?.linkedFrom && !named.has(record.path) && !named.has(realOrSelf(record.path))) continue;
		record.addedBytes = await addedBytes(record.path).catch(() => undefined);
	}
}

function realOrSelf(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return file; // Gone since it was listed.
	}
}
