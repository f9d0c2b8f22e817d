import fs from 'node:fs/promises';
import path from 'node:path';
import {deadRestoreStaging} from '../engine/restore-staging.js';

export type DestinationCheck = {ok: true; path: string; exists: boolean} | {ok: false; path: string; reason: string};

/**
 * The restore wizard's live check: the destination must be new or an empty
 * folder (the seed: "unzip the contents in a new folder"). The engine checks
 * again when the restore starts; this only spares the operator a late surprise.
 */
export async function checkDestination(text: string, cwd = process.cwd()): Promise<DestinationCheck> {
	const resolved = path.resolve(cwd, text.trim());
	try {
		const stat = await fs.stat(resolved);
		if (!stat.isDirectory()) return {ok: false, path: resolved, reason: 'It exists and is not a folder: choose a new or empty folder.'};
		// What a killed restore into it left is removed when the restore starts (restore-staging.ts): not in the way.
		const entries = (await fs.readdir(resolved)).filter(name => !deadRestoreStaging(path.join(resolved, name), resolved));
		if (entries.length > 0) return {ok: false, path: resolved, reason: `It is not empty (${entries.length} entries): choose a new or empty folder.`};
		return {ok: true, path: resolved, exists: true};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {ok: true, path: resolved, exists: false};
		if (code === 'ENOTDIR') return {ok: false, path: resolved, reason: 'A parent of it is a file: choose another folder.'};
		return {ok: false, path: resolved, reason: `It cannot be read (${code ?? 'error'}): choose another folder.`};
	}
}
