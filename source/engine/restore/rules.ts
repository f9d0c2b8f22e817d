import fs from 'node:fs';
import path from 'node:path';
import {usageError} from '../platform/errors.js';
import {QUICKSTART} from '../platform/paths.js';
import {EXTERNAL_DATASTORE} from '../storage/types.js';

/**
 * Rules restore and planRestore share: which entries --only keeps, which files
 * become executable when a zip carries no unix modes, and which names and link
 * targets are safe to write under the restore folder.
 */

/** AEM's control scripts; the seed: "the x-bit of the following scripts are not preserved by the zip file". */
const CONTROL_SCRIPTS = new Set([
	'bin/start', 'bin/stop', 'bin/status', 'bin/quickstart',
	'server/start', 'server/stop', 'server/serverctl',
].map(name => `${QUICKSTART}/${name}`));

/** Only entries this small are opened to look for `#!` when planning; restore itself looks at every file it writes. */
export const SNIFF_LIMIT = 1024 * 1024;

export const isControlScript = (name: string) => CONTROL_SCRIPTS.has(name);
export const startsWithShebang = (head: Buffer) => head.length >= 2 && head[0] === 0x23 && head[1] === 0x21;

/** Modes for zips made by AEM (Java), which store none: what unzip would give, plus x for scripts. */
export const DEFAULT_FILE_MODE = 0o644;
export const EXECUTABLE_MODE = 0o755;
export const DEFAULT_DIR_MODE = 0o755;
/**
 * The mode bits a restore keeps. The sticky bit always (a shared 1777 folder must
 * come back 1777, not 0777). Setuid and setgid never, from any backup, as unzip
 * does without -K: a manifest is as easily written by an attacker as a zip's
 * modes, and root's restore would otherwise create a
 * setuid-root executable of their choosing. A link has no mode of its own.
 */
export const keptMode = (mode: number) => mode & 0o1777;

/** Normalises one --only value to a path below the backup root (`crx-quickstart/...`). */
function normaliseOnly(value: string): string {
	const trimmed = value.replaceAll('\\', '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
	const parts = trimmed.split('/').filter(part => part !== '' && part !== '.');
	if (trimmed.startsWith('/') || parts.includes('..') || parts.length === 0) {
		throw usageError(`--only ${value} is not a path inside crx-quickstart; pass one like repository/segmentstore.`);
	}
	if (parts[0] !== QUICKSTART && parts[0] !== EXTERNAL_DATASTORE) parts.unshift(QUICKSTART);
	return parts.join('/');
}

export interface OnlyFilter {
	/** True for an entry to restore: inside one of the subtrees, or a folder above one (so its mode is kept). */
	keeps(name: string, isDirectory: boolean): boolean;
	/** Marks the subtrees an entry falls in, so that one matching nothing can be reported. */
	note(name: string): void;
	/** The --only values that matched no entry. */
	unmatched(): string[];
}

/**
 * What a running AEM leaves that a restored one must not find: conf/cq.pid
 * (bin/start would say "already running" if its pid lives again, or a backup
 * would take it for AEM) and the segment store's repo.lock. Verified with the
 * backup, never written.
 */
const RUNTIME_FILES = new Set(['conf/cq.pid', 'repository/segmentstore/repo.lock'].map(name => `${QUICKSTART}/${name}`));
export const isRuntimeFile = (name: string) => RUNTIME_FILES.has(name);

/**
 * Removes from the staging folder whatever a runtime file's name leads to once
 * the backup's links exist: the name filter above misses a backup that holds
 * cq.pid elsewhere and makes conf a link there (links inside crx-quickstart are
 * allowed, and entry-rules keeps every one inside it, so the lookup stays in the
 * staging folder, which is ours). unlink never follows the last name; a folder
 * there is no pid or lock file and is left.
 */
export async function removeRuntimeFiles(staging: string): Promise<void> {
	for (const name of RUNTIME_FILES) {
		const file = path.join(staging, name);
		const stat = await fs.promises.lstat(file).catch(() => undefined);
		if (stat && !stat.isDirectory()) await fs.promises.unlink(file);
	}
}

export function onlyFilter(only: string[] | undefined): OnlyFilter {
	const prefixes = (only ?? []).map(normaliseOnly);
	const matched = new Set<string>();
	const within = (prefix: string, name: string) => name === prefix || name.startsWith(`${prefix}/`);
	return {
		keeps: (name, isDirectory) => !isRuntimeFile(name) && (prefixes.length === 0
			|| prefixes.some(prefix => within(prefix, name) || (isDirectory && within(name, prefix)))),
		note(name) {
			for (const prefix of prefixes) if (within(prefix, name)) matched.add(prefix);
		},
		unmatched: () => prefixes.filter(prefix => !matched.has(prefix)),
	};
}
