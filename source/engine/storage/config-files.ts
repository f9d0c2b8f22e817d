import fs from 'node:fs';
import path from 'node:path';
import {FelixSyntaxError, readFelixConfig} from './felix-config.js';
import {PropertiesSyntaxError, readJavaProperties} from './java-properties.js';
import {MAX_CONFIG_BYTES, parseJsonConfig} from './osgi-config.js';

/** A configuration's values as read: strings, numbers, booleans (Felix's typed values), lists. */
export type Values = Record<string, unknown>;

/** The extensions Sling's installer reads as configurations (InternalResource.EXTENSIONS). */
const EXTENSIONS = ['.cfg.json', '.config', '.cfg', '.properties'];
/** install/ is walked up to this many entries and this deep: more is not an install folder AEM made. */
const MAX_ENTRIES = 10_000;
const MAX_DEPTH = 16;

export interface ConfigFile {
	pid: string;
	/** Absolute path. */
	file: string;
	/** Relative to crx-quickstart, `/`-separated. */
	rel: string;
	where: 'install' | 'launchpad';
	/** The run mode spec of its `install.<spec>/` folder (the first folder below install/), if any. */
	runModes?: string;
	values?: Values;
	/** Why it could not be read here. */
	unreadable?: string;
	/**
	 * With `unreadable`: AEM cannot read it either (Felix's and java.util.Properties'
	 * rules, ported faithfully, reject it), so AEM applies none of it. Otherwise (a link,
	 * a file too big, no permission, JSON crx-backup reads more strictly than AEM)
	 * what AEM makes of it is not known.
	 */
	ignoredByAem?: boolean;
}

/**
 * Every configuration of `pids` AEM may apply: the files Sling's file installer
 * picks up in crx-quickstart/install and all folders below it (a first folder named
 * `install.<runmodes>` applies only under those run modes: the installer's
 * Installer.createResource), named `<pid>.<extension>`; and Felix's own copy,
 * launchpad/config/<pid with dots as folders>.config. A link is never followed.
 */
export function findConfigFiles(quickstart: string, pids: readonly string[], warnings: string[]): ConfigFile[] {
	const found: ConfigFile[] = [];
	const wanted = new Map<string, string>();
	for (const pid of pids) for (const ext of EXTENSIONS) wanted.set(`${pid}${ext}`, pid);
	const install = path.join(quickstart, 'install');
	let entries = 0;
	const walk = (dir: string, rel: string[], depth: number) => {
		const names: fs.Dirent[] = [];
		try {
			// Read as a stream and bounded: a folder of millions of names is not held in memory.
			const handle = fs.opendirSync(dir);
			try {
				for (let entry = handle.readSync(); entry && names.length <= MAX_ENTRIES; entry = handle.readSync()) names.push(entry);
			} finally {
				handle.closeSync();
			}
		} catch (error) {
			// No install/ is nothing for the installer to apply; one this user cannot read may hold what AEM applies.
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'ENOENT' && code !== 'ENOTDIR') warnings.push(`${dir} cannot be read (${code}): the storage layout may be incomplete.`);
			return;
		}
		for (const entry of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
			if (++entries > MAX_ENTRIES) {
				if (entries === MAX_ENTRIES + 1) warnings.push(`${install} holds more than ${MAX_ENTRIES} entries: only the first were searched for storage configurations.`);
				return;
			}
			const parts = [...rel, entry.name];
			if (entry.isDirectory() && depth < MAX_DEPTH) walk(path.join(dir, entry.name), parts, depth + 1);
			const pid = wanted.get(entry.name);
			if (pid === undefined || entry.isDirectory()) continue;
			const runModes = parts.length > 1 && parts[0]!.startsWith('install.') ? parts[0]!.slice('install.'.length) : undefined;
			found.push(readConfigFile(quickstart, path.join(dir, entry.name), pid, 'install', runModes, warnings));
		}
	};
	walk(install, [], 0);
	for (const pid of pids) {
		const file = path.join(quickstart, 'launchpad', 'config', ...pid.split('.')) + '.config';
		if (fs.lstatSync(file, {throwIfNoEntry: false})) found.push(readConfigFile(quickstart, file, pid, 'launchpad', undefined, warnings));
	}
	return found;
}

function readConfigFile(quickstart: string, file: string, pid: string, where: ConfigFile['where'], runModes: string | undefined, warnings: string[]): ConfigFile {
	const rel = path.relative(quickstart, file).split(path.sep).join('/');
	const entry: ConfigFile = {pid, file, rel, where, ...(runModes === undefined ? {} : {runModes})};
	const bytes = readBounded(file, warnings);
	if (bytes === undefined) {
		const stat = fs.lstatSync(file, {throwIfNoEntry: false});
		const why = stat?.isSymbolicLink() ? 'it is a symbolic link, which crx-backup does not follow'
			: stat && stat.size > MAX_CONFIG_BYTES ? `it is ${stat.size} bytes, more than a configuration holds` : 'it cannot be read';
		return {...entry, unreadable: why};
	}
	try {
		if (file.endsWith('.cfg.json')) {
			const {values, problems} = parseJsonConfig(bytes.toString('utf8'));
			if (problems.length > 0) return {...entry, unreadable: problems.slice(0, 3).join(', ')};
			return {...entry, values};
		}
		if (file.endsWith('.config')) return {...entry, values: readFelixConfig(bytes.toString('utf8'), {skipFirstComment: where === 'install'}).values};
		return {...entry, values: readJavaProperties(bytes)};
	} catch (error) {
		if (error instanceof FelixSyntaxError) return {...entry, unreadable: error.message, ignoredByAem: true};
		// An XML properties file is one AEM reads (loadFromXML) and crx-backup does not.
		if (error instanceof PropertiesSyntaxError) return {...entry, unreadable: error.message, ignoredByAem: !bytes.subarray(0, 1).equals(Buffer.from('<'))};
		throw error;
	}
}

/** A regular file read without following a link, at most `maxBytes`; undefined (and said) otherwise. */
export function readBounded(file: string, warnings: string[], maxBytes = MAX_CONFIG_BYTES): Buffer | undefined {
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
		if (stat.size > maxBytes) {
			warnings.push(`${file} is ${stat.size} bytes, more than such a file holds: it was not read.`);
			return undefined;
		}
		const buffer = Buffer.alloc(stat.size);
		return buffer.subarray(0, fs.readSync(fd, buffer, 0, stat.size, 0));
	} finally {
		fs.closeSync(fd);
	}
}

/**
 * Sling's getBestRunModeMatchCountFromSpec: `a.b,c` is (a and b) or c, `-a` is
 * not a; the most run modes any `,` part matches, 0 when none matches.
 */
export function runModeMatch(spec: string, active: ReadonlySet<string>): number {
	let best = 0;
	for (const part of spec.split(',')) {
		let count = 0;
		for (const mode of part.split('.')) {
			const matches = mode.startsWith('-') ? !active.has(mode.slice(1)) : active.has(mode);
			if (!matches) {
				count = 0;
				break;
			}
			count++;
		}
		best = Math.max(best, count);
	}
	return best;
}
