import path from 'node:path';
import {shortPath, usageError} from '../platform/errors.js';
import {isInsideOrEqual} from '../platform/paths.js';
import {EXTERNAL_DATASTORE} from '../storage/types.js';
import {checkRestoreDestination} from './destination.js';
import {removeDeadRestoreStaging} from './staging.js';
import type {OnlyFilter} from './rules.js';
import type {BackupRecord, ManifestStorage} from '../types.js';

/** Where a backup's external datastore goes, checked before anything is written. */
export interface DatastorePlan {
	to: string;
	/** An existing empty folder (its content is moved in), not a new one (the staging folder is renamed). */
	existed: boolean;
	/** The path its OSGi configuration names (the manifest's record of it). */
	configured?: string;
	/** The configuration file, relative to crx-quickstart, when the manifest names a plausible one. */
	configuredIn?: string;
	/** The install folder the backup was made of (a relative `path` in a configuration resolved against it). */
	sourceInstall?: string;
}

/** The manifest's storage record, or undefined when it holds nothing usable: it is untrusted input. */
function storageOf(record: BackupRecord): ManifestStorage | undefined {
	const storage = record.manifest?.storage as unknown;
	if (!storage || typeof storage !== 'object') return undefined;
	return storage as ManifestStorage;
}

/**
 * Decides where the external datastore is restored: only where the operator
 * names it (`--datastore-to`; the TUI's wizard passes the folder its confirm
 * step showed). The path the manifest records is never used on its own: a
 * backup is untrusted, and one recording /root/.ssh would choose where root
 * writes files of its choosing. The folder is checked by the restore
 * destination's own rule (new or empty, private, on a real file system), apart
 * from `to` and the backup. Undefined when the backup holds no external
 * datastore or --only leaves it out.
 */
export async function planDatastore(record: BackupRecord, to: string, datastoreTo: string | undefined, filter: OnlyFilter, onWarning: (message: string) => void): Promise<DatastorePlan | undefined> {
	const storage = storageOf(record);
	const included = storage?.externalDatastoreIncluded === true;
	if (datastoreTo !== undefined && !included) throw usageError(`${shortPath(record.path)} holds no external datastore, so there is nothing for --datastore-to; leave it out.`);
	if (!included || !filter.keeps(EXTERNAL_DATASTORE, true)) return undefined;
	const recorded = plainPath(storage.datastorePath);
	if (datastoreTo === undefined) {
		const where = recorded ? `; its manifest says it was at ${shortPath(recorded)}, which is used only when you name it` : '';
		throw usageError(`${shortPath(record.path)} holds an external datastore: pass --datastore-to with the folder it goes into${where}.`);
	}
	if (datastoreTo.trim() === '') throw usageError('--datastore-to is empty: give the folder the external datastore goes into.');
	const target = path.resolve(datastoreTo);
	if (isInsideOrEqual(to, target) || isInsideOrEqual(target, to)) {
		throw usageError(`The datastore's destination ${shortPath(target)} and the restore folder ${shortPath(to)} lie one inside the other: pass --datastore-to with a folder elsewhere.`);
	}
	let existed: boolean;
	try {
		await checkRestoreDestination(target, record.path);
		for (const message of await removeDeadRestoreStaging(target)) onWarning(message);
		({existed} = await checkRestoreDestination(target, record.path));
	} catch (error) {
		throw usageError(`The external datastore cannot be restored to ${shortPath(target)}: ${lowerFirst((error as Error).message).replace(/\.$/, '')}; pass --datastore-to with a new or empty folder.`);
	}
	const configuredIn = typeof storage.configuredIn === 'string' && isFileDataStoreConfig(storage.configuredIn) ? storage.configuredIn : undefined;
	const source = record.manifest?.source as unknown;
	const sourceInstall = typeof source === 'string' && path.isAbsolute(source) && !source.includes('\0') ? path.dirname(source) : undefined;
	return {to: target, existed, configured: recorded, configuredIn, sourceInstall};
}

/** A recorded path fit to show and compare: absolute, normalized, not `/`, no control characters (the manifest is untrusted). */
function plainPath(value: unknown): string | undefined {
	if (typeof value !== 'string' || !path.isAbsolute(value) || path.normalize(value) !== value || value === '/') return undefined;
	return /[\u0000-\u001f\u007f]/.test(value) ? undefined : value;
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * The only files --point-config may name from a manifest: a FileDataStore
 * configuration in install/ or Felix's persisted one, named as AEM names them. The
 * rewrite itself finds the files on its own (pointConfigs); this only keeps an
 * untrusted manifest's record plausible.
 */
export function isFileDataStoreConfig(rel: string): boolean {
	const pid = 'org\\.apache\\.jackrabbit\\.oak\\.plugins\\.blob\\.datastore\\.FileDataStore';
	return new RegExp(`^install/(?:[A-Za-z0-9._-]{1,100}/){0,8}${pid}\\.(?:config|cfg\\.json|cfg|properties)$`).test(rel)
		|| /^launchpad\/config\/org\/apache\/jackrabbit\/oak\/plugins\/blob\/datastore\/FileDataStore\.config$/.test(rel);
}
