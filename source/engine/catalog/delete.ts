import fs from 'node:fs';
import path from 'node:path';
import {find} from './list.js';
import {aemRunsIn, aemUseOf} from './aem-use.js';
import {forgetMade} from './provenance.js';
import {CrxError, describeFsError, failure, usageError} from '../platform/errors.js';
import {currentOwner, readOwner} from '../platform/owner.js';
import {DELETING_MARKER, IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME, QUICKSTART, STAGING_MARKER} from '../platform/paths.js';
import {checkPrivatePlace, writePrivateFile} from '../platform/safe-place.js';
import {removeTree} from '../walk/remove-tree.js';
import type {BackupRecord, BackupRef, ListOptions, Repository} from '../types.js';

function refuseLiveRepository(target: string, repository?: Repository): void {
	if (!repository) return;
	// The install folder, any folder above it, the repository and anything inside it: deleting any of them destroys live data.
	if (isInsideOrEqual(target, repository.install) || isInsideOrEqual(repository.quickstart, target)) {
		throw usageError(`Refusing to delete ${target}: it is (or holds, or lies inside) the live repository ${repository.quickstart}.`);
	}
}

/**
 * What crx-backup leaves alone rather than deletes: a backup it cannot prove it wrote, or a folder
 * AEM uses or has used. `delete` refuses it (exit 2) with this sentence; prune names it and goes on.
 */
export class LeftAlone extends CrxError {
	constructor(readonly target: string, readonly reason: string, readonly hint: string) {
		super('usage', `Refusing to delete ${target}: ${reason}; ${hint}.`);
	}
}

/** The way to take in on purpose what crx-backup did not record making, or the honest alternative. */
export function adoptHint(record: BackupRecord): string {
	if (record.leftover || record.status !== 'complete' || !record.manifest) return 'remove it by hand if it is no longer needed';
	return `if it is a backup crx-backup should manage, adopt it with \`crx-backup adopt ${record.path}\``;
}

/** The repository a folder being deleted belongs to, as its manifest or marker says: prune finishes its delete with that repository's. */
function sourceOf(record: BackupRecord): string | undefined {
	if (record.manifest?.source) return record.manifest.source;
	for (const marker of [IN_PROGRESS_MARKER, STAGING_MARKER]) {
		const source = readOwner(path.join(record.path, marker))?.source;
		if (typeof source === 'string') return source;
	}
	return undefined;
}

/**
 * What `delete` never deletes, whatever the front end: an install (restored by
 * crx-backup, or a crx-quickstart folder that carries neither manifest nor
 * marker) and a backup still being written. Throws the usage error that says why.
 */
export function refuseUndeletable(record: BackupRecord): void {
	if (record.install?.restored) {
		const from = record.install.from ? ` from ${record.install.from}` : '';
		throw usageError(`Refusing to delete ${record.path}: it is an install crx-backup restored${from}, not a backup; remove it by hand if it is no longer needed.`);
	}
	if (record.status === 'install') {
		throw usageError(`Refusing to delete ${record.path}: it holds a ${QUICKSTART} with neither a ${MANIFEST_NAME} nor AEM's ${IN_PROGRESS_MARKER}, so it may be an install, not a backup; remove it by hand if you are sure.`);
	}
	if (record.status === 'running') {
		const what = record.leftover === 'deleting' ? 'another crx-backup is deleting it' : 'a backup is still writing it';
		throw usageError(`Refusing to delete ${record.path}: ${what}; wait for it to finish or cancel it first.`);
	}
	if (!record.ours) throw new LeftAlone(record.path, `crx-backup cannot prove it wrote it: ${record.unproven ?? 'no record of it'}`, adoptHint(record));
}

/**
 * Deletes a backup, or a leftover of one (staging folder, partial zip, an
 * interrupted delete), that crx-backup can prove it wrote and AEM does not use.
 * Every refusal happens before anything is touched. A folder is marked as being
 * deleted first and loses its manifest and markers last, so a kill half-way
 * leaves a leftover `list` names and `delete` or prune finish, never something
 * that looks like an install. removeTree never follows a link, not even a folder
 * swapped for one while it runs (it stops instead), so nothing outside the
 * backup can go with it.
 *
 * `dryRun`: every check, then nothing deleted (delete --dry-run, prune --dry-run).
 *
 * A record is the one exception to "resolved once" (BackupRef): its path is read
 * again, because time passed since it was made (the operator's y/N, a list on
 * screen) and a backup started or finished meanwhile changes what may go.
 */
export async function remove(backup: BackupRef, options: ListOptions & {signal?: AbortSignal}, how: {dryRun?: boolean} = {}): Promise<void> {
	const given = typeof backup === 'string' ? backup : backup.path;
	// Checked on the path as given too: `find` would call a folder above the install "not a backup", which undersells it.
	if (fs.existsSync(given)) refuseLiveRepository(path.resolve(given), options.repository);
	const record = await find(given, options);
	refuseLiveRepository(record.path, options.repository);
	refuseUndeletable(record);
	// The folder holding it, checked where its path really leads: a link another user owns on the way (or a
	// folder they may write, unless sticky) lets them repoint it between the checks and the delete, and root
	// then deleted what has the same name wherever they chose.
	checkPrivatePlace(path.dirname(record.path), `the delete of ${path.basename(record.path)}`, {sharedOk: true});
	if (record.kind === 'directory' && record.leftover !== 'restore-staging') {
		const use = record.leftover === 'deleting' ? aemRunsIn(record.path) : await aemUseOf(record.path, options.signal);
		if (use) throw new LeftAlone(record.path, use, 'remove it by hand if AEM no longer needs it');
	}
	// A dry run is refused exactly where a delete would be, then touches nothing (a file-system error it cannot foresee).
	if (how.dryRun) return;
	try {
		const isFolder = fs.lstatSync(record.path).isDirectory();
		if (isFolder && record.leftover !== 'deleting') {
			// Written whole beside it and renamed into place: a kill never leaves an empty marker, which would prove nothing.
			const marker = path.join(record.path, DELETING_MARKER);
			writePrivateFile(`${marker}.${process.pid}.tmp`, `${JSON.stringify(currentOwner({source: sourceOf(record), target: record.path}))}\n`);
			fs.renameSync(`${marker}.${process.pid}.tmp`, marker);
		}
		await removeTree(record.path, isFolder ? {last: [IN_PROGRESS_MARKER, STAGING_MARKER, MANIFEST_NAME, DELETING_MARKER]} : {});
		forgetMade(record.path);
	} catch (error) {
		if (error instanceof CrxError) throw error;
		throw failure(describeFsError(error, `deleting ${record.path}`), error);
	}
}
