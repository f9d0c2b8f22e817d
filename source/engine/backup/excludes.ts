import {usageError} from '../platform/errors.js';
import {DEFAULT_EXCLUDES} from '../platform/paths.js';

/**
 * The defaults plus --exclude paths, normalised to 'a/b' relative to
 * crx-quickstart. An exclude is a literal path matched whole (no patterns), so
 * one that is not a path inside crx-quickstart would silently leave out nothing:
 * refused, as is one that would leave out everything (`.`, `crx-quickstart`).
 */
export function normalizeExcludes(extra: string[] = []): string[] {
	const result = new Set(DEFAULT_EXCLUDES);
	for (const raw of extra) {
		if (raw.replace(/\\/g, '/').startsWith('/')) throw usageError(`The exclude path "${raw}" must be a path inside crx-quickstart, relative to it, like repository/index.`);
		const rel = raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^crx-quickstart\//, '').replace(/\/+$/, '');
		if (rel === '.' || rel === 'crx-quickstart' || (rel === '' && raw.trim() !== '')) {
			throw usageError(`The exclude path "${raw}" would leave out all of crx-quickstart: give a path inside it, like repository/index.`);
		}
		if (/[*?[\]{}]/.test(rel)) {
			throw usageError(`The exclude path "${raw}" is a pattern, and --exclude takes a path inside crx-quickstart (no wildcards), like repository/index.`);
		}
		const parts = rel.split('/');
		if (rel === '' || rel.startsWith('/') || parts.some(part => part === '' || part === '.' || part === '..')) {
			throw usageError(`The exclude path "${raw}" must be a path inside crx-quickstart, like repository/index.`);
		}
		result.add(rel);
	}
	return [...result];
}
