import fs from 'node:fs';
import path from 'node:path';
import {treeBytes, walkWithoutFollowing} from '../walk/tree-walk.js';
import {resolveBackup} from '../catalog/list.js';
import {failure, usageError} from '../platform/errors.js';
import {IN_PROGRESS_MARKER, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {isControlScript, SNIFF_LIMIT, startsWithShebang} from './rules.js';
import type {BackupRef, RestorePlan} from '../types.js';
import {openZip, readEntryStart} from '../zip/reader.js';

/**
 * What restoring `backup` would do, for the Restore wizard: counts from the
 * manifest header or the central directory, whether the zip stores unix modes,
 * and (for AEM's zips, which do not) the files restore will make executable:
 * the control scripts, plus entries up to SNIFF_LIMIT that start with `#!`.
 */
export async function planRestore(backup: BackupRef): Promise<RestorePlan> {
	const record = await resolveBackup(backup);
	if (record.leftover) throw usageError(`${record.path} is a leftover of a backup that never finished, not a backup to restore.`);
	const base = {backup: record.path, kind: record.kind, over24h: record.over24h, ...(record.manifest ? {manifest: record.manifest} : {})};
	if (record.kind === 'directory') {
		const inProgress = fs.existsSync(path.join(record.path, IN_PROGRESS_MARKER));
		const counts = record.manifest ?? await countTree(path.join(record.path, QUICKSTART));
		return {...base, files: counts.files, bytes: counts.bytes, hasUnixModes: true, willMakeExecutable: [], inProgress};
	}
	let reader;
	try {
		reader = openZip(record.path);
	} catch (error) {
		throw failure(`${record.path} cannot be read as a zip (${(error as Error).message}): it is damaged or not a backup.`, error);
	}
	let files = 0;
	let bytes = 0;
	let hasUnixModes = false;
	const willMakeExecutable: string[] = [];
	try {
		for await (const entry of reader.entries()) {
			if (entry.name === MANIFEST_NAME || entry.isDirectory) continue;
			files++;
			bytes += entry.size;
			if (entry.mode !== undefined) {
				hasUnixModes = true;
				continue;
			}
			if (entry.isSymlink) continue;
			const script = isControlScript(entry.name)
				|| (entry.size >= 2 && entry.size <= SNIFF_LIMIT && startsWithShebang(await readEntryStart(reader, entry, 2)));
			if (script) willMakeExecutable.push(entry.name);
		}
	} catch (error) {
		throw failure(`${record.path} cannot be read (${(error as Error).message}); it is damaged or unsafe.`, error);
	} finally {
		reader.close();
	}
	return {...base, files, bytes, hasUnixModes, willMakeExecutable, inProgress: false};
}

async function countTree(root: string): Promise<{files: number; bytes: number}> {
	let files = 0;
	for await (const item of walkWithoutFollowing(root)) if (item.kind === 'file') files++;
	return {files, bytes: await treeBytes(root)};
}
