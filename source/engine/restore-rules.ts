import path from 'node:path';
import {usageError} from './errors.js';
import {isInsideOrEqual, QUICKSTART} from './paths.js';

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
/** Permission bits only: setuid, setgid and sticky bits from an archive are dropped, as unzip does without -K. */
export const PERMISSION_BITS = 0o777;

/** Normalises one --only value to a path below the backup root (`crx-quickstart/...`). */
function normaliseOnly(value: string): string {
	const trimmed = value.replaceAll('\\', '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
	const parts = trimmed.split('/').filter(part => part !== '' && part !== '.');
	if (trimmed.startsWith('/') || parts.includes('..') || parts.length === 0) {
		throw usageError(`--only ${value} is not a path inside crx-quickstart; pass one like repository/segmentstore.`);
	}
	if (parts[0] !== QUICKSTART) parts.unshift(QUICKSTART);
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

export function onlyFilter(only: string[] | undefined): OnlyFilter {
	const prefixes = (only ?? []).map(normaliseOnly);
	const matched = new Set<string>();
	const within = (prefix: string, name: string) => name === prefix || name.startsWith(`${prefix}/`);
	return {
		keeps: (name, isDirectory) => prefixes.length === 0
			|| prefixes.some(prefix => within(prefix, name) || (isDirectory && within(name, prefix))),
		note(name) {
			for (const prefix of prefixes) if (within(prefix, name)) matched.add(prefix);
		},
		unmatched: () => prefixes.filter(prefix => !matched.has(prefix)),
	};
}

/** Where an entry lands, or a usage error when its name would leave the backup's crx-quickstart tree. */
export function destinationOf(root: string, name: string): string {
	const parts = name.split('/');
	const destination = path.join(root, ...parts);
	if (parts[0] !== QUICKSTART || parts.includes('..') || parts.includes('') || !isInsideOrEqual(path.join(root, QUICKSTART), destination)) {
		throw usageError(`The backup holds an entry outside ${QUICKSTART}/ (${name}); nothing was restored.`);
	}
	return destination;
}

/**
 * A symlink entry is allowed only when its target, resolved from the link's
 * folder, stays inside the restore folder `to`. Compared with path.relative
 * (isInsideOrEqual), so a sibling `to2` does not pass for `to`.
 */
export function checkLinkTarget(to: string, name: string, target: string): void {
	const resolved = path.resolve(to, path.dirname(name), target);
	if (target === '' || target.includes('\0') || !isInsideOrEqual(to, resolved)) {
		throw usageError(`The backup holds a symbolic link ${name} → ${target} that points outside the restore folder; nothing was restored.`);
	}
}
