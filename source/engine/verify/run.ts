import {find} from '../catalog/list.js';
import {usageError} from '../errors.js';
import type {VerifyProgress, VerifyResult} from '../types.js';
import {verifyDirectory} from './from-directory.js';
import {verifyZip} from './from-zip.js';


/**
 * Checks a backup (a path; the commands resolve names through `find` first).
 * Damage is reported in the result, never thrown: `ok` false, one problem per
 * damaged file. Only bad input (not a backup, a leftover) throws.
 */
export async function verify(backup: string, options: {signal?: AbortSignal; onProgress?: VerifyProgress} = {}): Promise<VerifyResult> {
	const record = await find(backup, {});
	if (record.leftover) {
		throw usageError(`${record.path} is a leftover of a backup that never finished, not a backup to verify; delete it with \`crx-backup delete\`.`);
	}
	return record.kind === 'zip'
		? verifyZip(record.path, options.signal, options.onProgress)
		: verifyDirectory(record.path, options.signal, options.onProgress);
}
