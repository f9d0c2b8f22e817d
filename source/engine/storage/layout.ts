import fs from 'node:fs';
import path from 'node:path';
import {isInsideOrEqual} from '../paths.js';
import {asText, isTrue, MAX_CONFIG_BYTES, parseConfig, type ConfigValue} from './osgi-config.js';
import type {StorageLayout} from '../types.js';

/** The configurations that say where AEM keeps its nodes and binaries. */
const PIDS = {
	segment: 'org.apache.jackrabbit.oak.segment.SegmentNodeStoreService',
	document: 'org.apache.jackrabbit.oak.plugins.document.DocumentNodeStoreService',
	file: 'org.apache.jackrabbit.oak.plugins.blob.datastore.FileDataStore',
	s3: 'org.apache.jackrabbit.oak.plugins.blob.datastore.S3DataStore',
	azure: 'org.apache.jackrabbit.oak.plugins.blob.datastore.AzureDataStore',
} as const;
type Pid = keyof typeof PIDS;
/** install/ is read up to this many names: more is not an install folder AEM made. */
const MAX_NAMES = 10_000;

interface Found {
	values: Record<string, ConfigValue>;
	file: string;
}

/**
 * Reads the node store and blob store configuration from crx-quickstart/install
 * (what the JCR installer applies at start, so it wins) and launchpad/config
 * (what Felix persisted, one folder per PID part). Never throws: garbage is a warning.
 * A relative path is resolved against the install folder, AEM's working folder.
 */
export function readStorageLayout(quickstart: string): StorageLayout {
	const warnings: string[] = [];
	const found: Partial<Record<Pid, Found>> = {};
	const install = path.dirname(quickstart);
	const take = (pid: Pid, file: string) => {
		const values = readOne(file, warnings);
		if (values && !found[pid]) found[pid] = {values, file};
	};
	const installDir = path.join(quickstart, 'install');
	const names = listNames(installDir).sort();
	for (const pid of Object.keys(PIDS) as Pid[]) {
		const pattern = new RegExp(`^${PIDS[pid].replaceAll('.', '\\.')}(?:[~-][^/]*)?\\.(?:config|cfg\\.json|cfg)$`);
		for (const name of names.filter(n => pattern.test(n))) take(pid, path.join(installDir, name));
		const persisted = path.join(quickstart, 'launchpad', 'config', ...PIDS[pid].split('.'));
		for (const ext of ['.config', '.cfg.json']) take(pid, persisted + ext);
	}
	const home = asText(found.segment?.values['repository.home']) ?? asText(found.file?.values['repository.home']);
	const repositoryHome = home ? path.resolve(install, home) : path.join(quickstart, 'repository');
	const layout: StorageLayout = {
		nodeStore: found.document ? 'document' : 'segment', repositoryHome, binaries: 'segment',
		configFiles: Object.values(found).map(item => item!.file), warnings,
	};
	if (found.document) {
		const uri = asText(found.document.values['mongouri']);
		layout.remote = `MongoDB${uri ? ` at ${redactUri(uri)}` : ''} (DocumentNodeStoreService)`;
	}
	const custom = found.segment ? isTrue(found.segment.values['customBlobStore']) : undefined;
	if (found.s3 || found.azure) {
		layout.binaries = found.s3 ? 's3' : 'azure';
		const named = found.s3 ? 'Amazon S3 (S3DataStore)' : 'Azure Blob Storage (AzureDataStore)';
		layout.remote = layout.remote ? `${layout.remote} and ${named}` : named;
	} else if (found.file && custom !== false) {
		const configured = asText(found.file.values['path']);
		const where = configured ? path.resolve(install, configured) : path.join(repositoryHome, 'datastore');
		layout.binaries = 'file';
		layout.datastore = {path: where, external: !isInsideOrEqual(quickstart, where), configuredIn: found.file.file};
	} else if (found.file) {
		warnings.push(`${found.file.file} configures a FileDataStore, but customBlobStore is false: binaries are kept in the segment store.`);
	}
	return layout;
}

/** A MongoDB URI without its password: the layout is printed and stored in manifests. */
export const redactUri = (uri: string) => uri.replace(/\/\/([^@/]*)@/, (_m, auth: string) => `//${auth.split(':')[0]}:***@`).slice(0, 200);

function listNames(dir: string): string[] {
	try {
		const dirHandle = fs.opendirSync(dir);
		const names: string[] = [];
		try {
			for (let entry = dirHandle.readSync(); entry && names.length < MAX_NAMES; entry = dirHandle.readSync()) names.push(entry.name);
		} finally {
			dirHandle.closeSync();
		}
		return names;
	} catch {
		return [];
	}
}

/** One configuration file, read without following a link and at most MAX_CONFIG_BYTES; undefined when absent or unreadable. */
function readOne(file: string, warnings: string[]): Record<string, ConfigValue> | undefined {
	let fd: number;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.push(`${file} cannot be read (${code === 'ELOOP' ? 'a symbolic link' : code}): the storage layout may be incomplete.`);
		return undefined;
	}
	try {
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) return undefined;
		if (stat.size > MAX_CONFIG_BYTES) {
			warnings.push(`${file} is ${stat.size} bytes, more than a configuration holds: it was not read.`);
			return undefined;
		}
		const buffer = Buffer.alloc(stat.size);
		const read = fs.readSync(fd, buffer, 0, stat.size, 0);
		const {values, problems} = parseConfig(file, buffer.subarray(0, read).toString('utf8'));
		if (problems.length > 0) warnings.push(`${file} is partly unreadable (${problems.slice(0, 3).join(', ')}): the storage layout may be incomplete.`);
		return values;
	} finally {
		fs.closeSync(fd);
	}
}
