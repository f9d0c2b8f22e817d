import fs from 'node:fs';
import path from 'node:path';
import {normalizeExcludes} from './excludes.js';
import {IN_PROGRESS_MARKER, MANIFEST_NAME} from '../platform/paths.js';
import {replaceRefusal, targetInsideRepository} from './repository.js';
import {countTree} from './count.js';
import {checkSpace} from './space.js';
import {delayDivisor, estimateDelaySeconds} from './throttle.js';
import type {BackupTarget, Estimate, Preflight, Repository} from '../types.js';
import {CrxError} from '../platform/errors.js';
import {readStorageLayout} from '../storage/layout.js';
import {planTrees, type TreeOptions} from './trees.js';

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

export async function estimate(repository: Repository, target: BackupTarget, delayMs: number, exclude: string[] = [], trees: TreeOptions = {}): Promise<Estimate> {
	const measured = await measure(repository, normalizeExcludes(exclude));
	const storage = readStorageLayout(repository.quickstart);
	const external = await measureExternal(repository, trees);
	const bytes = measured.bytes + (external?.bytes ?? 0);
	const files = measured.files + (external?.files ?? 0);
	const delaySeconds = estimateDelaySeconds(bytes, delayMs, target.kind);
	return {
		repository: repository.quickstart, repositoryBytes: bytes, repositoryFiles: files, kind: target.kind, target: target.path,
		divisor: delayDivisor(target.kind), delayMs, delaySeconds, over24h: delaySeconds > day, storage, externalDatastore: external,
	};
}

/** Everything the operator should see before starting: estimate, space, warnings and blocking errors. */
export async function preflight(repository: Repository, target: BackupTarget, delayMs: number, exclude: string[] = [], options: {forceHint?: boolean; trees?: TreeOptions} = {}): Promise<Preflight> {
	const result = await estimate(repository, target, delayMs, exclude, options.trees);
	const warnings: string[] = [];
	const errors: string[] = [];
	if (result.over24h) warnings.push(`The delay adds about ${Math.round(result.delaySeconds / 3600)} hours: a backup over 24 hours should be discarded (it may miss binaries).`);
	if (target.kind === 'directory' && fs.existsSync(target.path)) {
		const isBackup = fs.existsSync(path.join(target.path, MANIFEST_NAME)) || fs.existsSync(path.join(target.path, IN_PROGRESS_MARKER));
		warnings.push(isBackup ? `${target.path} exists: it will be re-synced (changed files copied, missing ones deleted).` : `${target.path} exists: the backup will be written into it.`);
	}
	// Checks never say "ready" for a backup that would be refused: replacing a zip needs --force (the TUI asks).
	const replacing = replaceRefusal(target);
	if (replacing) errors.push(replacing);
	try {
		warnings.push(...planTrees(repository, target, options.trees ?? {}).warnings);
	} catch (error) {
		if (!(error instanceof CrxError)) throw error;
		errors.push(error.message);
	}
	const inside = targetInsideRepository(repository, target.path);
	if (inside) errors.push(inside);
	const previousManifest = target.kind === 'directory' ? path.join(target.path, MANIFEST_NAME) : undefined;
	const {bytesNeeded, bytesFree, short} = await checkSpace(target, result.repositoryBytes, previousManifest, options.forceHint ?? false);
	if (short) errors.push(short);
	return {target, estimate: result, bytesNeeded, bytesFree, warnings, errors, ...(short ? {spaceShort: short} : {}), ...(replacing ? {replaces: replacing} : {})};
}

/** The external datastore the backup would copy (the same decision as the backup's: planTrees), measured; undefined when there is none or it cannot be reached. */
async function measureExternal(repository: Repository, trees: TreeOptions): Promise<Estimate['externalDatastore']> {
	let plan;
	try {
		plan = planTrees(repository, undefined, trees);
	} catch {
		return undefined; // preflight says why.
	}
	if (!plan.external) return undefined;
	// Cached like the repository's size: the Create form asks on every keystroke, and a datastore can hold millions of records.
	const key = `external\0${plan.external.source}`;
	let cached = sizes.get(key);
	if (!cached || Date.now() - cached.at >= cacheMs) {
		const {files, bytes} = await countTree(plan.external.source, {exclude: []});
		cached = {at: Date.now(), files, bytes};
		sizes.set(key, cached);
	}
	return {path: plan.storage.datastorePath!, files: cached.files, bytes: cached.bytes};
}
