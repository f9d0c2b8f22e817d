import fs from 'node:fs';
import path from 'node:path';
import {treeBytes} from '../walk/tree-walk.js';
import {usageError} from '../platform/errors.js';
import {readManifestHeader} from '../manifest/format.js';
import {isOwnerAlive, readOwner} from '../platform/owner.js';
import {DELETING_MARKER, IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME, QUICKSTART, RESTORE_STAGING_MARKER, STAGING_MARKER} from '../platform/paths.js';
import {inspectZip} from './inspect-zip.js';
import {markAddedBytes} from './added-bytes.js';
import {readRestoredMarker} from '../platform/restored-marker.js';
import {markerProof, stagingProof, withProof} from './trust.js';
import type {BackupRecord, BackupRef, ListOptions, Repository} from '../types.js';

/** `<name>.zip.<hex>.partial`: a zip still being written (or the wreck of one); group 1 + 2 name its staging folder. */
const PARTIAL_ZIP = /^(.*)\.zip\.([0-9a-f]+)\.partial$/;

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException)?.code;
const exists = (file: string) => fs.promises.lstat(file).then(() => true, () => false);
const isDirectory = (file: string) => fs.promises.lstat(file).then(stat => stat.isDirectory(), () => false);

/** The live install folder and the repository itself are never backups, whatever they hold. */
export function isLiveRepository(file: string, repository?: Repository): boolean {
	if (!repository) return false;
	return path.resolve(file) === path.resolve(repository.install) || isInsideOrEqual(repository.quickstart, file);
}

async function statusOf(ownerFile: string): Promise<'running' | 'incomplete'> {
	// An empty marker (AEM's own) names no owner: we cannot tell it runs, so it is incomplete.
	return isOwnerAlive(readOwner(ownerFile)) ? 'running' : 'incomplete';
}

/**
 * Tells what `file` is: a backup (zip or directory), a leftover of one (staging
 * folder, partial zip), or nothing (undefined). Symlinks are never backups: a
 * link is not followed, so deleting or restoring "it" cannot reach elsewhere.
 */
export async function classify(file: string, repository?: Repository): Promise<BackupRecord | undefined> {
	const full = path.resolve(file);
	const stat = await fs.promises.lstat(full).catch(() => undefined);
	if (!stat || stat.isSymbolicLink() || isLiveRepository(full, repository)) return undefined;
	const name = path.basename(full);
	const base = {path: full, name, over24h: false};
	const mtime = stat.mtime.toISOString();

	if (stat.isFile()) {
		const partial = PARTIAL_ZIP.exec(name);
		if (partial) {
			const marker = path.join(path.dirname(full), `${partial[1]}.${partial[2]}.temp`, STAGING_MARKER);
			return {...base, kind: 'zip', bytes: stat.size, created: mtime, status: await statusOf(marker), leftover: 'partial-zip', ...stagingProof(marker, full, stat)};
		}
		if (!name.endsWith('.zip')) return undefined;
		const zip = await inspectZip(full);
		if (zip === 'not-a-backup') return undefined;
		const manifest = zip === 'unreadable' ? undefined : zip.manifest;
		// A whole backup zip holds its manifest, the crx-quickstart folder and at least each file its manifest counts.
		const whole = zip !== 'unreadable' && (!manifest || zip.entries >= (Number(manifest.files) || 0) + 2);
		return withProof({
			...base, kind: 'zip', bytes: stat.size,
			created: manifest?.startedAt ?? mtime,
			status: zip === 'unreadable' ? 'incomplete' : 'complete',
			over24h: ranOver24h(manifest),
			...(manifest ? {manifest, zipWrittenAt: mtime} : {}),
		}, stat, whole);
	}

	if (!stat.isDirectory()) return undefined;
	const quickstart = path.join(full, QUICKSTART);
	const deleting = path.join(full, DELETING_MARKER);
	if (await exists(deleting)) {
		// A delete that was stopped half-way: what is left of a backup, whatever it still holds (its manifest goes last).
		const owner = readOwner(deleting);
		return {
			...base, kind: 'directory', bytes: await treeBytes(full), created: owner?.startedAt ?? mtime,
			status: await statusOf(deleting), leftover: 'deleting', ...markerProof(deleting, full),
		};
	}
	if (name.endsWith('.restoring') && await exists(path.join(full, RESTORE_STAGING_MARKER))) {
		// A restore's staging folder (restore-staging.ts): running, or the leftover of a killed restore.
		const marker = path.join(full, RESTORE_STAGING_MARKER);
		return {...base, kind: 'directory', bytes: await treeBytes(full), created: readOwner(marker)?.startedAt ?? mtime, status: await statusOf(marker), leftover: 'restore-staging', ...markerProof(marker, undefined)};
	}
	if (name.endsWith('.temp')) {
		const marker = path.join(full, STAGING_MARKER);
		if (await exists(marker) || await isDirectory(quickstart)) {
			const owner = readOwner(marker);
			return {
				...base, kind: 'zip', bytes: await treeBytes(full),
				created: owner?.startedAt ?? mtime, status: await statusOf(marker), leftover: 'staging', ...stagingProof(marker, full, stat),
			};
		}
	}
	const restored = await readRestoredMarker(full);
	if (restored) {
		// Restored by crx-backup: an install whatever else it holds (a manifest, a marker), never a backup.
		return {
			...base, kind: 'directory', bytes: restored.bytes ?? 0, created: restored.restoredAt ?? mtime,
			status: 'install', install: {restored: true, ...(restored.backup ? {from: restored.backup} : {})},
		};
	}
	const marker = path.join(full, IN_PROGRESS_MARKER);
	const marked = await exists(marker);
	if (!marked && !await isDirectory(quickstart)) return undefined;
	const manifest = await readManifestHeader(path.join(full, MANIFEST_NAME));
	if (!manifest && !marked && !await exists(path.join(full, MANIFEST_NAME))) {
		// A backup is what carries a manifest or AEM's marker. Without either this is an install: one that has
		// an index is in use (not listed, as before); one without may be an AEM-made backup, but an install
		// looks the same, so it is shown as an install and `delete` refuses it.
		if (await exists(path.join(quickstart, 'repository', 'index'))) return undefined;
		return {...base, kind: 'directory', bytes: await treeBytes(quickstart), created: mtime, status: 'install', install: {restored: false}};
	}
	const record: BackupRecord = {
		...base, kind: 'directory',
		// The header's byte count spares walking a big tree.
		bytes: manifest?.bytes ?? await treeBytes(quickstart),
		created: manifest?.startedAt ?? readOwner(marker)?.startedAt ?? mtime,
		status: marked ? await statusOf(marker) : 'complete',
		over24h: ranOver24h(manifest),
		...(manifest ? {manifest} : {}),
	};
	// Marked in progress: a backup of ours that stopped (or runs) names this folder in its marker.
	return marked ? {...record, ...markerProof(marker, full)} : withProof(record, stat, true);
}

/** The folders `list` looks in: the repository's default backup folder, then every --dir. */
function searchDirs(options: ListOptions): string[] {
	const dirs = [...(options.repository ? [options.repository.backupDir] : []), ...(options.dirs ?? [])];
	// One folder named twice (a linked --dir beside the target's real folder, a bind mount) is listed once, by the
	// first name: listed twice, each backup was two, and prune kept one of the two and deleted the other, the backup.
	const seen = new Map<string, string>();
	for (const dir of dirs.map(each => path.resolve(each))) {
		const stat = fs.statSync(dir, {throwIfNoEntry: false});
		const key = stat ? `${stat.dev}:${stat.ino}` : dir;
		if (!seen.has(key)) seen.set(key, dir);
	}
	return [...seen.values()];
}

/** Every backup one level inside the search folders, newest first. */
export async function list(options: ListOptions): Promise<BackupRecord[]> {
	const explicit = new Set((options.dirs ?? []).map(dir => path.resolve(dir)));
	const records = new Map<string, BackupRecord>();
	for (const dir of searchDirs(options)) {
		let names: string[];
		try {
			names = await fs.promises.readdir(dir);
		} catch (error) {
			const code = codeOf(error);
			if (explicit.has(dir)) throw usageError(`Cannot read the folder ${dir} (${code ?? 'error'}): pass an existing folder to --dir.`);
			// The default folder may simply not exist yet; one we may not read is said.
			if (code !== 'ENOENT') options.onWarning?.(`Skipped ${dir}: it cannot be read (${code ?? 'error'}).`);
			continue;
		}
		for (const name of names) {
			const file = path.join(dir, name);
			try {
				const record = await classify(file, options.repository);
				if (record) records.set(record.path, record);
			} catch (error) {
				// One folder this user may not read (another user's backup, a root-only folder) must not hide the rest.
				const code = codeOf(error);
				if (code === undefined) throw error;
				if (code !== 'ENOENT') options.onWarning?.(`Skipped ${file}: it cannot be read (${code}).`);
			}
		}
	}
	const found = [...records.values()].sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || a.name.localeCompare(b.name));
	await markAddedBytes(found);
	return found;
}

/** Resolves BACKUP, a path or a name `list` shows, to its record; anything else is a usage error. */
/** The record a front end resolved once, or the one a path or name leads to (see BackupRef). */
export async function resolveBackup(backup: BackupRef, options: ListOptions = {}): Promise<BackupRecord> {
	return typeof backup === 'string' ? find(backup, options) : backup;
}

export async function find(backup: string, options: ListOptions): Promise<BackupRecord> {
	const full = path.resolve(backup);
	if (await exists(full)) {
		if (isLiveRepository(full, options.repository)) {
			throw usageError(`${full} is the live repository (or inside it), not a backup.`);
		}
		const record = await classify(full, options.repository).catch((error: unknown) => {
			if (codeOf(error) === undefined) throw error;
			throw usageError(`Cannot read ${full} (${codeOf(error)}) to tell whether it is a backup; run as a user who may read it.`);
		});
		if (!record) throw usageError(`${full} is not a backup: expected a backup zip, a folder holding ${QUICKSTART}/, or a leftover of a backup.`);
		return record;
	}
	const dirs = searchDirs(options);
	if (backup.includes('/') || dirs.length === 0) {
		throw usageError(`${backup} does not exist; pass the path of a backup, or a name that \`crx-backup list\` shows.`);
	}
	const matches = (await list(options)).filter(record => record.name === backup || record.name === `${backup}.zip`);
	if (matches.length === 1) return matches[0]!;
	if (matches.length === 0) throw usageError(`No backup named ${backup} in ${dirs.join(', ')}; run \`crx-backup list\` to see the names.`);
	throw usageError(`More than one backup is named ${backup} (${matches.map(record => record.path).join(', ')}); pass its path instead.`);
}

/**
 * A backup ran longer than 24 hours when its manifest says so, or when the times it records say so: the manifest
 * is untrusted, and one whose flag disagrees with its own start and finish (edited, or written by another tool)
 * must not pass for a backup AEM's rule keeps.
 */
function ranOver24h(manifest: {over24h?: unknown; startedAt?: unknown; finishedAt?: unknown; durationMs?: unknown} | undefined): boolean {
	if (!manifest) return false;
	const day = 24 * 60 * 60 * 1000;
	const span = typeof manifest.startedAt === 'string' && typeof manifest.finishedAt === 'string'
		? Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt) : Number.NaN;
	return Boolean(manifest.over24h) || span > day || (typeof manifest.durationMs === 'number' && manifest.durationMs > day);
}

