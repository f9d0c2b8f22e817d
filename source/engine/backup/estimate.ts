import fs from 'node:fs';
import path from 'node:path';
import {normalizeExcludes} from './excludes.js';
import {IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME} from '../paths.js';
import {targetInsideRepository} from './repository.js';
import {countTree} from './count.js';
import {checkSpace} from './space.js';
import {delayDivisor, estimateDelaySeconds} from './throttle.js';
import type {BackupTarget, Estimate, Preflight, Repository} from '../types.js';

const day = 24 * 60 * 60;
/** The Create Backup form asks on every keystroke: measure a repository at most this often. */
const cacheMs = 30_000;
const sizes = new Map<string, {at: number; bytes: number; files: number}>();

async function measure(repository: Repository, exclude: string[]): Promise<{bytes: number; files: number}> {
	const key = `${repository.quickstart}\0${exclude.join('\0')}`;
	const cached = sizes.get(key);
	if (cached && Date.now() - cached.at < cacheMs) return cached;
	const {bytes, files} = await countTree(repository.quickstart, {exclude});
	const result = {at: Date.now(), bytes, files};
	sizes.set(key, result);
	return result;
}

export async function estimate(repository: Repository, target: BackupTarget, delayMs: number, exclude: string[] = []): Promise<Estimate> {
	const {bytes, files} = await measure(repository, normalizeExcludes(exclude));
	const delaySeconds = estimateDelaySeconds(bytes, delayMs, target.kind);
	return {
		repository: repository.quickstart, repositoryBytes: bytes, repositoryFiles: files, kind: target.kind, target: target.path,
		divisor: delayDivisor(target.kind), delayMs, delaySeconds, over24h: delaySeconds > day,
	};
}

/** Everything the operator should see before starting: estimate, space, warnings and blocking errors. */
export async function preflight(repository: Repository, target: BackupTarget, delayMs: number, exclude: string[] = [], options: {forceHint?: boolean} = {}): Promise<Preflight> {
	const result = await estimate(repository, target, delayMs, exclude);
	const warnings: string[] = [];
	const errors: string[] = [];
	if (result.over24h) warnings.push(`The delay adds about ${Math.round(result.delaySeconds / 3600)} hours: a backup over 24 hours should be discarded (it may miss binaries).`);
	if (target.kind === 'directory' && fs.existsSync(target.path)) {
		const isBackup = fs.existsSync(path.join(target.path, MANIFEST_NAME)) || fs.existsSync(path.join(target.path, IN_PROGRESS_MARKER));
		warnings.push(isBackup ? `${target.path} exists: it will be re-synced (changed files copied, missing ones deleted).` : `${target.path} exists: the backup will be written into it.`);
	}
	if (target.kind === 'zip' && fs.existsSync(target.path)) warnings.push(`${target.path} exists: it will be replaced when the new backup is complete.`);
	const outside = datastoreOutside(repository);
	if (outside) warnings.push(`The datastore is configured at ${outside}, outside crx-quickstart: it is not included; back it up separately.`);
	const inside = targetInsideRepository(repository, target.path);
	if (inside) errors.push(inside);
	const previousManifest = target.kind === 'directory' ? path.join(target.path, MANIFEST_NAME) : undefined;
	const {bytesNeeded, bytesFree, short} = await checkSpace(target, result.repositoryBytes, previousManifest, options.forceHint ?? false);
	if (short) errors.push(short);
	return {target, estimate: result, bytesNeeded, bytesFree, warnings, errors, ...(short ? {spaceShort: short} : {})};
}

/** Looks for a FileDataStore/blob store configuration whose path lies outside crx-quickstart. */
export function datastoreOutside(repository: Repository): string | undefined {
	const dirs = [path.join(repository.quickstart, 'install'), path.join(repository.quickstart, 'launchpad', 'config')];
	for (const dir of dirs) {
		let names: string[] = [];
		try {
			names = fs.readdirSync(dir);
		} catch {
			continue;
		}
		for (const name of names.filter(n => /DataStore|BlobStore/i.test(n))) {
			try {
				const text = fs.readFileSync(path.join(dir, name), 'utf8');
				const match = /["']?path["']?\s*[=:]\s*"?([^"\n,]+)"?/.exec(text);
				if (!match) continue;
				const configured = path.resolve(repository.quickstart, match[1]!.trim().replace(/\$\{[^}]+\}/g, ''));
				if (!isInsideOrEqual(repository.quickstart, configured)) return configured;
			} catch {}
		}
	}
	return undefined;
}
