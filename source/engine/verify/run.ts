import {resolveBackup} from '../catalog/list.js';
import {usageError} from '../errors.js';
import type {BackupRef, VerifyProgress, VerifyResult} from '../types.js';
import {verifyDirectory} from './from-directory.js';
import {verifyZip} from './from-zip.js';


/**
 * Checks a backup: the record the commands resolved through `find`, or a path.
 * Damage is reported in the result, never thrown: `ok` false, one problem per
 * damaged file. Only bad input (not a backup, a leftover) throws.
 */
export async function verify(backup: BackupRef, options: {signal?: AbortSignal; onProgress?: VerifyProgress} = {}): Promise<VerifyResult> {
	const record = await resolveBackup(backup);
	if (record.leftover) {
		throw usageError(`${record.path} is a leftover of a backup that never finished, not a backup to verify; delete it with \`crx-backup delete\`.`);
	}
	return record.kind === 'zip'
		? verifyZip(record.path, options.signal, options.onProgress)
		: verifyDirectory(record.path, options.signal, options.onProgress);
}
