import fs from 'node:fs';
import path from 'node:path';
import {checkPrivatePlace} from '../platform/safe-place.js';
import {aemUseOf} from './aem-use.js';
import {find} from './list.js';
import {recordMade} from './provenance.js';
import {clockNow} from '../platform/clock.js';
import {usageError} from '../platform/errors.js';
import type {BackupRecord, ListOptions} from '../types.js';

/**
 * Takes in on purpose a backup crx-backup did not record making (an older
 * version's, one copied back from elsewhere, one another user's crx-backup made
 * and handed over): from now on prune may decide it and delete may remove it.
 * Only a backup that is complete by every check list makes (this user's, whole,
 * not dated in the future, under 24 hours) and that AEM neither uses nor used.
 */
export async function adopt(backup: string, options: ListOptions & {signal?: AbortSignal}): Promise<BackupRecord> {
	const record = await find(backup, options);
	// As delete: a link another user owns on the way could be repointed before the record is written, and what
	// it then names would be recorded as crx-backup's, for prune to delete.
	checkPrivatePlace(path.dirname(record.path), `adopting ${path.basename(record.path)}`, {sharedOk: true});
	if (record.ours) throw usageError(`${record.path} is already crx-backup's${record.adopted ? ' (adopted)' : ''}: there is nothing to adopt.`);
	if (record.status === 'install' || record.leftover || !record.manifest) {
		throw usageError(`Refusing to adopt ${record.path}: it is not a backup with a crx-backup manifest (an install, or the leftover of a run); remove it by hand if it is no longer needed.`);
	}
	if (record.status !== 'complete') throw usageError(`Refusing to adopt ${record.path}: it is not complete${record.problem ? ` (${record.problem})` : ''}.`);
	// Only this user's own may be proven (provenance.ts): root's backup adopted by another user would stay unproven.
	const owner = fs.lstatSync(record.path).uid;
	if (owner !== (process.geteuid?.() ?? owner)) throw usageError(`Refusing to adopt ${record.path}: it belongs to uid ${owner}, not to the user running crx-backup; adopt it as that user.`);
	if (record.kind === 'directory') {
		const use = await aemUseOf(record.path, options.signal);
		if (use) throw usageError(`Refusing to adopt ${record.path}: ${use}.`);
	}
	recordMade({path: record.path, kind: record.kind, source: record.manifest.source, startedAt: record.manifest.startedAt, adoptedAt: clockNow().toISOString()});
	return {...record, ours: true, adopted: true};
}
