import fs from 'node:fs';
import path from 'node:path';
import {readManifestHeader} from '../manifest/format.js';
import type {BackupTarget} from '../types.js';

export interface SpaceCheck {
	bytesNeeded: number;
	bytesFree: number;
	/** The sentence that refuses the backup when the space is short. */
	short?: string;
}

/**
 * The one space rule, for `estimate`, the Create Backup form and the backup
 * itself (which refuses to start without --force). A zip needs its staging copy
 * and the zip at once: twice the repository, at most. A directory needs the
 * repository, less what a re-synced backup already holds (its previous
 * manifest's byte count: a re-sync copies only what changed). A manifest that
 * lies only lowers the figure; the copy then fails on the full disk with exit 1.
 */
export async function checkSpace(target: BackupTarget, repositoryBytes: number, previousManifest: string | undefined, forceHint: boolean): Promise<SpaceCheck> {
	const held = target.kind === 'directory' && previousManifest ? await backupBytes(previousManifest) : 0;
	const bytesNeeded = target.kind === 'zip' ? repositoryBytes * 2 : Math.max(0, repositoryBytes - held);
	const bytesFree = freeBytes(target.path);
	if (bytesFree >= bytesNeeded) return {bytesNeeded, bytesFree};
	const hint = forceHint ? ' (--force starts anyway)' : '';
	return {
		bytesNeeded, bytesFree,
		short: `Not enough space at the target: ${mib(bytesNeeded)} needed (${bytesNeeded} bytes), ${mib(bytesFree)} free (${bytesFree} bytes); free some space or choose another target${hint}.`,
	};
}

async function backupBytes(manifest: string): Promise<number> {
	const bytes = (await readManifestHeader(manifest))?.bytes;
	return typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
}

/** Free bytes on the file system of the target, or of its nearest existing ancestor. */
export function freeBytes(target: string): number {
	let dir = path.resolve(target);
	for (;;) {
		try {
			const stats = fs.statfsSync(dir);
			return stats.bavail * stats.bsize;
		} catch {
			const parent = path.dirname(dir);
			if (parent === dir) return 0;
			dir = parent;
		}
	}
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
