import fs from 'node:fs';
import path from 'node:path';
import {resolveBackup} from '../catalog/list.js';
import {cancelled, CrxError, describeFsError, failure, usageError} from '../platform/errors.js';
import {IN_PROGRESS_MARKER, QUICKSTART} from '../platform/paths.js';
import {checkDirectory, copyDirectory} from './from-directory.js';
import {onlyFilter, removeRuntimeFiles} from './rules.js';
import {restorePercent} from '../bands.js';
import {RESTORED_MARKER, writeRestoredMarker} from '../platform/restored-marker.js';
import {checkRestoreDestination, makeParents} from './destination.js';
import {checkPrivatePlace} from '../platform/safe-place.js';
import {removeTree} from '../walk/remove-tree.js';
import {createStaging, dropMarker, removeDeadRestoreStaging} from './staging.js';
import type {ExtractContext} from './extract.js';
import {checkZip, extractZip} from './from-zip.js';
import type {BackupRecord, RestoreEvent, RestoreOptions, RestoreStep, RestoreSummary} from '../types.js';
import {planDatastore} from './datastore.js';
import {pointConfigs} from './point-config.js';
import {startAdvice} from './start-advice.js';

/**
 * The restore folder must be new or an empty folder; says which, or refuses with it untouched.
 * What a killed restore into it left (its staging folder) is removed first, and said.
 */
async function checkDestination(to: string, record: BackupRecord, emit: (event: RestoreEvent) => void): Promise<{existed: boolean}> {
	await checkRestoreDestination(to, record.path);
	for (const message of await removeDeadRestoreStaging(to)) emit({type: 'warning', message});
	return checkRestoreDestination(to, record.path);
}

/**
 * Restores a backup into `to`. Everything is written into a staging folder on
 * `to`'s file system (see createStaging), which is renamed into place (or, when
 * `to` exists empty, has its crx-quickstart moved up) only when all of it succeeded. On a
 * CRC error, any other failure or an abort, the staging folder is removed, so
 * `to` is back as it was: absent, or empty.
 */
export async function restore(options: RestoreOptions): Promise<RestoreSummary> {
	const started = Date.now();
	const emit = (event: RestoreEvent) => options.onEvent?.(event);
	const record = await resolveBackup(options.backup);
	if (record.leftover) throw usageError(`${record.path} is a leftover of a backup that never finished, not a backup to restore.`);
	if (record.kind === 'directory' && fs.existsSync(path.join(record.path, IN_PROGRESS_MARKER)) && !options.force) {
		throw usageError(`${record.path} is still marked in progress (${IN_PROGRESS_MARKER}): it may be incomplete; pass --force to restore it anyway.`);
	}
	if (record.over24h && !options.force) {
		throw usageError(`${record.path} ran longer than 24 hours, and AEM's rule is to discard such a backup (it may miss binaries): pass --force to restore it anyway.`);
	}
	const to = path.resolve(options.to);
	const {existed} = await checkDestination(to, record, emit);
	const filter = onlyFilter(options.only);
	const datastore = await planDatastore(record, to, options.datastoreTo, filter, message => emit({type: 'warning', message}));

	let stepStarted = 0;
	const startStep = (step: RestoreStep) => {
		stepStarted = Date.now();
		emit({type: 'step-start', step});
	};
	const endStep = (step: RestoreStep, counts: {files?: number; bytes?: number} = {}) => emit({type: 'step-end', step, durationMs: Date.now() - stepStarted, ...counts});

	startStep('verify');
	let check;
	try {
		check = record.kind === 'zip'
			? await checkZip(record.path, {filter, signal: options.signal})
			: await checkDirectory(record.path, {filter, signal: options.signal});
	} catch (error) {
		if (error instanceof CrxError) throw error;
		throw failure(describeFsError(error, `reading ${record.path}`), error);
	}
	const unmatched = filter.unmatched();
	if (unmatched.length > 0) throw usageError(`Nothing in the backup matches --only ${unmatched.join(', ')}; nothing was restored.`);
	endStep('verify', {files: check.files, bytes: check.bytes});

	// mkdir returns the first folder it created: removed again on failure, so a missing parent stays missing.
	const createdParent = existed ? undefined : await makeParents(path.dirname(to));
	let staging: string | undefined;
	let datastoreParent: string | undefined;
	let datastoreStaging: string | undefined;
	let placedDatastore: (() => Promise<void>) | undefined;
	try {
		// Again once the folders above a new destination exist: another user may have made one of them first.
		if (!existed) checkPrivatePlace(to, 'the destination');
		staging = await createStaging(to, existed, record.path);
		if (datastore) {
			datastoreParent = datastore.existed ? undefined : await makeParents(path.dirname(datastore.to));
			if (!datastore.existed) checkPrivatePlace(datastore.to, 'the datastore\'s destination');
			datastoreStaging = await createStaging(datastore.to, datastore.existed, record.path);
		}
		startStep('extract');
		const context: ExtractContext = {
			to, staging, datastoreStaging, filter, signal: options.signal, ordered: check.ordered,
			progress: (bytesDone, filesDone, file) => emit({
				type: 'progress', step: 'extract', file, bytesDone, filesDone, bytesTotal: check.bytes, filesTotal: check.files,
				percent: restorePercent('extract', check.bytes > 0 ? bytesDone / check.bytes : 1),
			}),
		};
		const result = record.kind === 'zip' ? await extractZip(record.path, context) : await copyDirectory(record.path, context);
		endStep('extract', {files: result.files, bytes: result.bytes});

		startStep('modes');
		await removeRuntimeFiles(staging);
		await result.folders.applyHeld();
		const deletedIndex = Boolean(options.deleteIndex) && await removeIndex(staging);
		// Written into the staging folder, so the install appears with its marker (list/delete tell it from a backup by it).
		await writeRestoredMarker(staging, {backup: record.path, files: result.files, bytes: result.bytes});
		// Refused (a .cfg naming the old place): thrown before anything is moved into place, so nothing is written.
		const pointedConfig = Boolean(datastore && options.pointConfig && pointConfigs(path.join(staging, QUICKSTART), datastore.configured, datastore.to, datastore.sourceInstall).length > 0);
		if (datastore && options.pointConfig && !pointedConfig) emit({type: 'warning', message: `No FileDataStore configuration of the backup names ${datastore.configured ?? 'the datastore\'s old place'}, so none was rewritten: point AEM's at ${datastore.to} by hand.`});
		if (datastore && !pointedConfig && datastore.configured !== datastore.to) {
			emit({type: 'warning', message: `The restored configuration still says the datastore is at ${datastore.configured ?? 'its old place'}: pass --point-config, or point it at ${datastore.to} by hand.`});
		}
		if (options.signal?.aborted) throw cancelled();
		// The datastore first, then the install: an install never appears without its binaries.
		if (datastore && datastoreStaging) {
			await moveIntoPlace(datastoreStaging, datastore.to, datastore.existed);
			const placed = datastore;
			placedDatastore = () => removePlaced(placed.to, placed.existed);
			datastoreStaging = undefined;
		}
		await moveIntoPlace(staging, to, existed);
		placedDatastore = undefined; // Both in place: nothing is undone from here on.
		emit({type: 'progress', step: 'modes', percent: restorePercent('modes', 1), bytesDone: result.bytes, bytesTotal: check.bytes, filesDone: result.files, filesTotal: check.files});
		endStep('modes');

		const summary: RestoreSummary = {
			to, files: result.files, bytes: result.bytes, madeExecutable: result.madeExecutable, deletedIndex, durationMs: Date.now() - started,
			start: await startAdvice(to, record.manifest?.source),
		};
		if (datastore) summary.datastore = {to: datastore.to, pointedConfig};
		emit({type: 'done', summary});
		return summary;
	} catch (error) {
		if (staging) await fs.promises.rm(staging, {recursive: true, force: true}).catch(() => undefined);
		if (datastoreStaging) await fs.promises.rm(datastoreStaging, {recursive: true, force: true}).catch(() => undefined);
		await placedDatastore?.().catch(() => undefined);
		if (datastoreParent) await fs.promises.rm(datastoreParent, {recursive: true, force: true}).catch(() => undefined);
		if (createdParent) await fs.promises.rm(createdParent, {recursive: true, force: true}).catch(() => undefined);
		if (options.signal?.aborted) throw cancelled('Restore cancelled; nothing was restored.');
		if (error instanceof CrxError) throw error;
		throw failure(describeFsError(error, `restoring into ${to}`), error);
	}
}

/**
 * --delete-index: removes crx-quickstart/repository/index only when both folders
 * above it are real folders (lstat, never followed: a backup may hold a link
 * `repository`); an `index` that is itself a link is removed as a link.
 */
async function removeIndex(staging: string): Promise<boolean> {
	let at = staging;
	for (const part of [QUICKSTART, 'repository']) {
		at = path.join(at, part);
		if (!(await fs.promises.lstat(at).catch(() => undefined))?.isDirectory()) return false;
	}
	const index = path.join(at, 'index');
	if (!await fs.promises.lstat(index).catch(() => undefined)) return false;
	await fs.promises.rm(index, {recursive: true});
	return true;
}

/** The last step, and the only one that puts anything in place under `to`. */
async function moveIntoPlace(staging: string, to: string, existed: boolean): Promise<void> {
	await dropMarker(staging);
	if (!existed) {
		// Created private while it filled up; a restored install is readable like any other. Set on the
		// open folder, not by path: `to`'s parent may be writable by others, who could swap in a link.
		const fd = fs.openSync(staging, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
		try {
			fs.fchmodSync(fd, 0o755);
		} finally {
			fs.closeSync(fd);
		}
		await fs.promises.rename(staging, to);
		return;
	}
	// The staging folder holds crx-quickstart and the restored marker: two renames, the marker last, so a failed
	// first rename leaves `to` as it was. Killed between them, `to` holds a crx-quickstart with no manifest or
	// marker, which `delete` refuses as an install too.
	const names = (await fs.promises.readdir(staging)).sort((a, b) => Number(a === RESTORED_MARKER) - Number(b === RESTORED_MARKER));
	for (const name of names) await fs.promises.rename(path.join(staging, name), path.join(to, name));
	await fs.promises.rmdir(staging);
}

/** Undoes a datastore moved into place when the install's own move then failed: `to` back to absent, or empty. */
async function removePlaced(to: string, existed: boolean): Promise<void> {
	if (!existed) return removeTree(to);
	for (const name of await fs.promises.readdir(to)) await removeTree(path.join(to, name));
}
