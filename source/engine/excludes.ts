import {usageError} from './errors.js';
import {DEFAULT_EXCLUDES} from './paths.js';

/** The defaults plus --exclude paths, normalised to 'a/b' relative to crx-quickstart; a path that escapes is refused. */
export function normalizeExcludes(extra: string[] = []): string[] {
	const result = new Set(DEFAULT_EXCLUDES);
	for (const raw of extra) {
		const rel = raw.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^crx-quickstart\//, '').replace(/\/+$/, '');
		if (rel === '' || rel.startsWith('/') || rel.split('/').includes('..')) {
			throw usageError(`The exclude path "${raw}" must be a path inside crx-quickstart, like repository/index.`);
		}
		result.add(rel);
	}
	return [...result];
}

/** Checks --delay: a whole number of milliseconds, zero or more. */
export function parseDelay(raw: string | number | undefined): number {
	if (raw === undefined || raw === '') return 0;
	const value = typeof raw === 'number' ? raw : Number(raw.trim());
	if (!Number.isFinite(value) || value < 0 || (typeof raw === 'string' && !/^\d+(\.\d+)?$/.test(raw.trim()))) {
		throw usageError(`The delay "${raw}" is not a number of milliseconds of 0 or more.`);
	}
	return value;
}
