import fs from 'node:fs';
import path from 'node:path';
import {isInsideOrEqual} from '../platform/paths.js';
import {findConfigFiles} from './config-files.js';
import {readFramework, type Framework} from './framework.js';
import {chooseConfig, type Chosen} from './choose-config.js';
import {asText, isTrue} from './osgi-config.js';
import type {StorageLayout} from '../types.js';

/** The configurations that say where AEM keeps its nodes and binaries (segment: before AEM 6.3 and after). */
export const PIDS = {
	segment: ['org.apache.jackrabbit.oak.segment.SegmentNodeStoreService', 'org.apache.jackrabbit.oak.plugins.segment.SegmentNodeStoreService'],
	document: ['org.apache.jackrabbit.oak.plugins.document.DocumentNodeStoreService'],
	file: ['org.apache.jackrabbit.oak.plugins.blob.datastore.FileDataStore'],
	s3: ['org.apache.jackrabbit.oak.plugins.blob.datastore.S3DataStore'],
	azure: ['org.apache.jackrabbit.oak.plugins.blob.datastore.AzureDataStore'],
} as const;
type Kind = keyof typeof PIDS;

/**
 * Where AEM keeps its nodes and binaries, read as AEM reads it: the configurations
 * Sling's installer applies from crx-quickstart/install/** (run mode folders
 * included) and Felix's persisted copies in launchpad/config (choose-config.ts),
 * each in its own syntax (Felix `.config`, java.util.Properties `.cfg`/`.properties`,
 * `.cfg.json`), with framework properties from sling.properties and bin/start
 * (framework.ts). Relative paths resolve against the install folder (AEM's working
 * folder). What these files leave open is `unknown` (the backup refuses it); storage
 * a copy of crx-quickstart cannot capture is `remote`. Never throws.
 */
export function readStorageLayout(quickstart: string): StorageLayout {
	const warnings: string[] = [];
	const install = path.dirname(quickstart);
	const framework = readFramework(quickstart, warnings);
	const files = findConfigFiles(quickstart, Object.values(PIDS).flat(), warnings);
	const unknown: string[] = [];
	let unknownDatastoreOnly = framework.unread.length === 0;
	if (framework.unread.length > 0) unknown.push(`${framework.unread.join(' and ')} could not be read whole (see the warnings), so the framework properties AEM starts with are not known.`);
	const chosen = {} as Record<Kind, Chosen | undefined>;
	for (const kind of Object.keys(PIDS) as Kind[]) {
		const result = chooseConfig(files.filter(file => (PIDS[kind] as readonly string[]).includes(file.pid)), framework, relevant(kind, install), warnings);
		if (result.unknown) {
			unknown.push(result.unknown);
			if (kind !== 'file') unknownDatastoreOnly = false;
		}
		chosen[kind] = result.chosen;
	}
	const layout: StorageLayout = {
		nodeStore: 'segment', repositoryHome: path.join(quickstart, 'repository'), binaries: 'segment',
		configFiles: files.filter(file => !file.unreadable).map(file => file.file), warnings,
	};
	const mongoUri = framework.get('oak.mongo.uri');
	const mongo = mongoUri ?? framework.get('oak.mongo.db');
	if (chosen.document || mongo) {
		layout.nodeStore = 'document';
		layout.remoteKind = 'document';
		const uri = chosen.document ? asText(chosen.document.values['mongouri']) : mongoUri && 'value' in mongoUri ? mongoUri.value : undefined;
		const how = chosen.document ? 'DocumentNodeStoreService' : `-Doak.mongo.* in ${mongo!.from}`;
		layout.remote = `MongoDB${uri ? ` at ${redactUri(uri)}` : ''} (${how})`;
	} else {
		if (!segmentStore(layout, quickstart, install, chosen.segment, framework, unknown)) unknownDatastoreOnly = false;
	}
	if (chosen.s3 || chosen.azure) {
		layout.binaries = chosen.s3 ? 's3' : 'azure';
		const named = chosen.s3 ? 'Amazon S3 (S3DataStore)' : 'Azure Blob Storage (AzureDataStore)';
		layout.remote = layout.remote ? `${layout.remote} and ${named}` : named;
		layout.remoteKind ??= 'cloud';
	} else if (chosen.file && chosen.segment && !isTrue(chosen.segment.values['customBlobStore']) && layout.nodeStore === 'segment') {
		warnings.push(`${chosen.file.file.rel} configures a FileDataStore, but customBlobStore is not true in ${chosen.segment.file.rel}: binaries are kept in the segment store.`);
	} else if (chosen.file) {
		const where = datastorePath(chosen.file, quickstart, install, framework);
		if ('unknown' in where) unknown.push(where.unknown);
		else {
			layout.binaries = 'file';
			layout.datastore = {path: where.path, external: !isInsideOrEqual(quickstart, where.path), configuredIn: chosen.file.file.file};
		}
	}
	if (unknown.length > 0) layout.unknown = {sentence: unknown.join(' '), datastoreOnly: unknownDatastoreOnly};
	if (framework.runModes) layout.runModes = [...framework.runModes].sort();
	return layout;
}

/** The values of a configuration that decide the layout, resolved, to compare two files by. */
function relevant(kind: Kind, install: string): (values: Record<string, unknown>) => string {
	const resolved = (value: unknown) => (typeof value === 'string' && value !== '' ? path.resolve(install, value) : '');
	if (kind === 'file') return values => `${resolved(values['path'])}\0${resolved(values['repository.home'])}`;
	if (kind === 'segment') return values => `${resolved(values['repository.home'])}\0${isTrue(values['customBlobStore'])}`;
	return values => String(asText(values['mongouri']) ?? '');
}

/**
 * The segment store: `<repository.home>/segmentstore`, repository.home taken from its
 * configuration first, then the framework property, then Sling's default
 * `${sling.home}/repository` (Oak's osgi_config.md). Outside crx-quickstart, or not
 * there at all, it is `remote`: a copy of crx-quickstart would not hold the repository.
 * False when where it is cannot be known (then `unknown` says why).
 */
function segmentStore(layout: StorageLayout, quickstart: string, install: string, chosen: Chosen | undefined, framework: Framework, unknown: string[]): boolean {
	const configured = asText(chosen?.values['repository.home']);
	const property = framework.get('repository.home');
	let home: string;
	if (configured) home = path.resolve(install, configured);
	else if (property && 'unknown' in property) {
		unknown.push(`repository.home in ${property.from} is "${property.unknown.slice(0, 100)}", which crx-backup cannot resolve, so where the segment store is is not known.`);
		return false;
	} else home = property ? path.resolve(install, property.value) : path.join(quickstart, 'repository');
	layout.repositoryHome = home;
	const dir = path.join(home, 'segmentstore');
	const real = realOrSelf(dir);
	if (!isInsideOrEqual(realOrSelf(quickstart), real)) {
		layout.remoteKind = 'segment-outside';
		layout.remote = `a segment store at ${dir}, outside crx-quickstart`;
	} else if (!fs.statSync(real, {throwIfNoEntry: false})?.isDirectory()) {
		layout.remoteKind = 'segment-missing';
		layout.remote = `no segment store at ${dir}`;
	}
	return true;
}

const realOrSelf = (p: string) => {
	try {
		return fs.realpathSync(p);
	} catch {
		return p;
	}
};

/**
 * The FileDataStore's folder: its `path`; without one, Jackrabbit's
 * FileDataStore.init puts it at `<repository.home>/repository/datastore`, where Oak
 * (AbstractDataStoreService) takes repository.home from the framework first, then
 * from the configuration. When only the configuration names one, whether AEM's
 * launcher sets Sling's default framework value is not documented: the two must agree.
 */
function datastorePath(chosen: Chosen, quickstart: string, install: string, framework: Framework): {path: string} | {unknown: string} {
	const configured = asText(chosen.values['path']);
	if (configured) return {path: path.resolve(install, configured)};
	const property = framework.get('repository.home');
	if (property && 'unknown' in property) return {unknown: `${chosen.file.rel} names no path, and repository.home in ${property.from} ("${property.unknown.slice(0, 100)}") cannot be resolved, so where the datastore is is not known.`};
	const byDefault = path.join(quickstart, 'repository');
	const own = asText(chosen.values['repository.home']);
	const home = property ? path.resolve(install, property.value) : own ? path.resolve(install, own) : byDefault;
	if (!property && own && home !== byDefault) {
		return {unknown: `${chosen.file.rel} names no path and its own repository.home ${home}, while Sling's default is ${byDefault}; which one Oak takes depends on AEM's launcher, so where the datastore is is not known.`};
	}
	return {path: path.join(home, 'repository', 'datastore')};
}

/** A MongoDB URI without its password: the layout is printed and stored in manifests. */
export const redactUri = (uri: string) => uri.replace(/\/\/([^@/]*)@/, (_m, auth: string) => `//${auth.split(':')[0]}:***@`).slice(0, 200);

