import fs from 'node:fs';
import path from 'node:path';
import {failure, shortPath, usageError} from '../platform/errors.js';
import {isInsideOrEqual, QUICKSTART} from '../platform/paths.js';
import {readStorageLayout} from '../storage/layout.js';
import {EXTERNAL_DATASTORE, type ManifestStorage, type StorageLayout} from '../storage/types.js';
import type {BackupTarget, Repository} from '../types.js';

/**
 * Which trees a backup copies, decided in one place for every method (online
 * stages, snapshot, offline): crx-quickstart always, and an external
 * FileDataStore beside it under external-datastore/ (phase B of every stage:
 * its records are immutable and content-addressed like the in-tree datastore's).
 */
export interface CopiedTree {
	/** The folder in the backup that holds it. */
	top: string;
	/** Where it really is (realpath). */
	source: string;
}

export interface TreePlan {
	quickstart: CopiedTree;
	/** The external datastore, unless there is none or it is left out. */
	external?: CopiedTree;
	layout: StorageLayout;
	/** What the manifest header records. */
	storage: ManifestStorage;
	warnings: string[];
}

export interface TreeOptions {
	/** --datastore PATH: the external datastore's folder, whatever the configuration says. */
	datastore?: string;
	/** False: --no-external-datastore. */
	externalDatastore?: boolean;
	/** --files-only: remote storage is the operator's business. */
	filesOnly?: boolean;
}

/**
 * Reads the storage layout and decides the trees; refuses (exit 2) storage a
 * file copy cannot capture, and fails (exit 1) when a datastore the backup must
 * hold cannot be reached. Reads only: call it before anything is written.
 */
export function planTrees(repository: Repository, target: BackupTarget | undefined, options: TreeOptions): TreePlan {
	const layout = readStorageLayout(repository.quickstart);
	const warnings = [...layout.warnings];
	// What AEM's files leave open is refused; only the datastore's place can be settled by naming it.
	if (layout.unknown && !(layout.unknown.datastoreOnly && options.datastore !== undefined)) {
		throw usageError(`${layout.unknown.sentence.replace(/\.$/, '')}: crx-backup does not guess where AEM keeps its data${layout.unknown.datastoreOnly ? '; pass --datastore with the datastore\'s folder' : ''}.`);
	}
	if (layout.remote && !options.filesOnly) throw usageError(remoteRefusal(layout));
	if (layout.remote) warnings.push(`--files-only: ${layout.remote} is not in this backup; it must be backed up with its own tools.`);
	const storage: ManifestStorage = {nodeStore: layout.nodeStore, binaries: layout.binaries};
	const plan: TreePlan = {quickstart: {top: QUICKSTART, source: repository.quickstart}, layout, storage, warnings};
	const configured = options.datastore !== undefined ? path.resolve(options.datastore) : layout.datastore?.external ? layout.datastore.path : undefined;
	if (configured === undefined) return plan;
	if (layout.datastore) storage.configuredIn = path.relative(repository.quickstart, layout.datastore.configuredIn);
	storage.datastorePath = configured;
	if (options.externalDatastore === false) {
		storage.externalDatastoreIncluded = false;
		warnings.push(`The external datastore ${configured} is left out (--no-external-datastore): this backup is not restorable on its own; back the datastore up separately.`);
		return plan;
	}
	let real: string;
	try {
		real = fs.realpathSync(configured);
		if (!fs.statSync(real).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'ENOTDIR'});
		fs.accessSync(real, fs.constants.R_OK | fs.constants.X_OK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'error';
		throw failure(`The external datastore ${shortPath(configured)} (${layout.datastore ? `configured in ${shortPath(layout.datastore.configuredIn)}` : '--datastore'}) cannot be reached (${code}): mount it, pass --datastore with where it is, or --no-external-datastore to leave it out.`);
	}
	if (isInsideOrEqual(repository.quickstart, real)) throw usageError(`The datastore ${shortPath(configured)} lies inside crx-quickstart, which is backed up anyway: leave out --datastore.`);
	if (isInsideOrEqual(real, repository.quickstart)) throw usageError(`The datastore ${shortPath(configured)} holds crx-quickstart itself: pass --datastore with the datastore's own folder.`);
	if (target && (isInsideOrEqual(real, target.path) || isInsideOrEqual(target.path, real))) {
		throw usageError(`The target ${shortPath(target.path)} and the datastore ${shortPath(configured)} lie one inside the other: choose a target elsewhere.`);
	}
	storage.externalDatastoreIncluded = true;
	plan.external = {top: EXTERNAL_DATASTORE, source: real};
	return plan;
}

/**
 * One sentence: what a file copy cannot capture, and what to use instead. The seed:
 * the online backup "works for the default, Tar storage based, repository
 * instances"; a database is backed up with its own tools.
 */
export function remoteRefusal(layout: StorageLayout): string {
	const filesOnly = 'and pass --files-only to back up the files alone';
	if (layout.remoteKind === 'segment-outside') {
		return `This AEM keeps its data in ${layout.remote}, which a copy of crx-quickstart cannot capture (the online backup works for the default, Tar storage based repository inside crx-quickstart): back that folder up on its own, ${filesOnly}.`;
	}
	if (layout.remoteKind === 'segment-missing') {
		return `This AEM has ${layout.remote} and no other node store configured, so a copy of crx-quickstart would hold no repository (the online backup works for the default, Tar storage based repository): check --repo and AEM's storage configuration, or ${filesOnly.replace(/^and /, '')}.`;
	}
	const instead = layout.nodeStore === 'document'
		? 'back MongoDB up with its own tools (mongodump, or a snapshot of its data files)'
		: 'protect the bucket or container with the cloud\'s own snapshots and versioning';
	return `This AEM keeps its data in ${layout.remote}, which a copy of crx-quickstart cannot capture: ${instead}, ${filesOnly}.`;
}
