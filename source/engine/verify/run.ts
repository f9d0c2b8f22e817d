import {verifyPercent} from '../bands.js';
import {resolveBackup} from '../catalog/list.js';
import {usageError} from '../platform/errors.js';
import type {BackupRef, OnProgress, VerifyOptions, VerifyResult} from '../types.js';
import {verifyDirectory} from './from-directory.js';
import {verifyZip} from './from-zip.js';

/**
 * Checks a backup: the record the commands resolved through `find`, or a path.
 * Damage is reported in the result, never thrown: `ok` false, one problem per
 * damaged file. Only bad input (not a backup, a leftover) throws.
 *
 * Reports through the common contract as one step, `verify`: step-start,
 * progress per file checked, step-end, done. The totals come from the
 * manifest when there is one (AEM's zips have none: 0, and no percent).
 */
export async function verify(backup: BackupRef, options: VerifyOptions = {}): Promise<VerifyResult> {
	const record = await resolveBackup(backup);
	if (record.leftover) {
		throw usageError(`${record.path} is a leftover of a backup that never finished, not a backup to verify; delete it with \`crx-backup delete\`.`);
	}
	const {signal, onEvent} = options;
	const started = Date.now();
	const bytesTotal = record.manifest?.bytes ?? 0;
	const filesTotal = record.manifest?.files ?? 0;
	onEvent?.({type: 'step-start', step: 'verify'});
	const onProgress: OnProgress | undefined = onEvent && ((bytesDone, filesDone, file) => onEvent({
		type: 'progress', step: 'verify', bytesDone, filesDone, file, bytesTotal, filesTotal,
		percent: bytesTotal > 0 ? verifyPercent(bytesDone / bytesTotal) : 0,
	}));
	const result = record.kind === 'zip'
		? await verifyZip(record.path, signal, onProgress)
		: await verifyDirectory(record.path, signal, onProgress);
	onEvent?.({type: 'step-end', step: 'verify', durationMs: Date.now() - started, files: result.files, bytes: result.bytes});
	onEvent?.({type: 'done', summary: result});
	return result;
}
