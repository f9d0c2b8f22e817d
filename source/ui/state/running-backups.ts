import path from 'node:path';
import type {BackupRecord} from '../../engine/types.js';

/** `<name>.<hex>.temp` (a zip's staging folder) and `<name>.zip.<hex>.partial` (its zip being written). */
const STAGING = /^(.*)\.([0-9a-f]+)\.temp$/;
const PARTIAL = /^(.*)\.zip\.([0-9a-f]+)\.partial$/;

/** The final zip name and staging id a running zip's piece belongs to, or undefined for anything else. */
function pieceOf(record: BackupRecord): {final: string; id: string} | undefined {
	if (record.status !== 'running' || (record.leftover !== 'staging' && record.leftover !== 'partial-zip')) return undefined;
	const match = (record.leftover === 'staging' ? STAGING : PARTIAL).exec(record.name);
	return match ? {final: `${match[1]}.zip`, id: path.join(path.dirname(record.path), `${match[1]}.${match[2]}`)} : undefined;
}

/**
 * A zip backup being written lives on disk as two pieces, its staging folder and its .partial zip;
 * an operator made one backup, so it shows as one row under the name it will have. The row keeps
 * the staging folder's path (unique, and refused by delete while it runs: an earlier zip of the same
 * name may still be there) and its start time. Pieces of a backup that no longer runs stay as they
 * are: they are leftovers to clean up, each deleted on its own.
 */
export function foldRunningZips(records: readonly BackupRecord[]): BackupRecord[] {
	const seen = new Map<string, BackupRecord>();
	const out: BackupRecord[] = [];
	for (const record of records) {
		const piece = pieceOf(record);
		if (!piece) {
			out.push(record);
			continue;
		}
		const earlier = seen.get(piece.id);
		if (!earlier) {
			const row: BackupRecord = {...record, name: piece.final, leftover: undefined};
			seen.set(piece.id, row);
			out.push(row);
			continue;
		}
		// The staging folder's path and start time name the row; the sizes add up.
		Object.assign(earlier, {bytes: earlier.bytes + record.bytes}, record.leftover === 'staging' ? {path: record.path, created: record.created} : {});
	}
	return out;
}

/** The path a running backup's row would have as its final zip, to match it against the TUI's own job. */
export const finalPath = (record: BackupRecord): string => path.join(path.dirname(record.path), record.name);
