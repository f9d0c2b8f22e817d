import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from '../platform/errors.js';
import {IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {checkTargetPlace} from '../platform/target-place.js';
import {clockNow} from '../platform/clock.js';
import type {BackupKind, BackupTarget, Repository} from '../types.js';

const isDir = (p: string) => {
	try {
		return fs.statSync(p).isDirectory();
	} catch {
		return false;
	}
};

/**
 * `--repo` is the crx-quickstart folder or the install folder that holds it.
 * Without it: ./crx-quickstart if present, else the current folder if it has repository/.
 */
export async function resolveRepository(repo?: string, cwd = process.cwd()): Promise<Repository> {
	let quickstart: string | undefined;
	if (repo !== undefined) {
		const given = path.resolve(cwd, repo);
		if (Buffer.byteLength(given) > 4095) throw usageError(`The repository path ${shortPath(given)} is ${Buffer.byteLength(given)} bytes long, more than the system allows: pass a shorter --repo.`);
		if (!fs.existsSync(given)) throw usageError(`The repository ${given} does not exist: pass --repo with a crx-quickstart folder or the install folder that holds it.`);
		if (!isDir(given)) throw usageError(`The repository ${given} is not a folder: pass --repo with a crx-quickstart folder or the install folder that holds it.`);
		if (isDir(path.join(given, QUICKSTART))) quickstart = path.join(given, QUICKSTART);
		else if (isDir(path.join(given, 'repository')) || path.basename(given) === QUICKSTART) quickstart = given;
		else throw usageError(`${given} is not an AEM repository: it holds neither crx-quickstart/ nor repository/.`);
	} else if (isDir(path.join(cwd, QUICKSTART))) {
		quickstart = path.join(cwd, QUICKSTART);
	} else if (isDir(path.join(cwd, 'repository'))) {
		quickstart = path.resolve(cwd);
	} else {
		throw usageError(`No repository here: run in the install folder (the one holding crx-quickstart) or pass --repo DIR.`);
	}
	const real = fs.realpathSync(quickstart);
	const install = path.dirname(real);
	return {quickstart: real, install, backupDir: path.dirname(install)};
}

/**
 * backup-YYYYMMDD-HHMM.zip, in local time like AEM's console. Given the folder, a name never taken there:
 * a second backup in the same minute gets the seconds (backup-YYYYMMDD-HHMMSS.zip), then a suffix (-2, -3…),
 * so a default name never replaces a backup (see freeDefaultName).
 */
export function defaultTargetName(now = clockNow(), dir?: string): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	const minute = `backup-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}`;
	if (dir === undefined) return `${minute}.zip`;
	const second = `${minute}${pad(now.getSeconds())}`;
	for (const base of [minute, second]) if (!nameTaken(dir, base)) return `${base}.zip`;
	for (let suffix = 2; ; suffix++) if (!nameTaken(dir, `${second}-${suffix}`)) return `${second}-${suffix}.zip`;
}

/**
 * Whether `<base>.zip` exists in `dir`, or a backup to it is under way (its staging folder
 * `<base>.XXXX.temp` or partial zip `<base>.zip.XXXX.partial`): two installs beside each
 * other share a default folder, and the first zip of the minute may not be there yet.
 */
function nameTaken(dir: string, base: string): boolean {
	if (fs.lstatSync(path.join(dir, `${base}.zip`), {throwIfNoEntry: false})) return true;
	let names: string[];
	try {
		names = fs.readdirSync(dir);
	} catch {
		return false; // checkTargetPlace says why the folder cannot hold it.
	}
	const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const underWay = new RegExp(`^${escaped}(\\.[0-9a-f]{4}\\.temp|\\.zip\\.[0-9a-f]{4}\\.partial)$`);
	return names.some(name => underWay.test(name));
}

/**
 * The sentence that refuses replacing an existing zip without --force (the TUI asks instead): an explicit
 * target that names a backup already there. A default name never needs it (defaultTargetName).
 */
export function replaceRefusal(target: BackupTarget): string | undefined {
	if (target.kind !== 'zip' || !fs.lstatSync(target.path, {throwIfNoEntry: false})) return undefined;
	return `${target.path} exists: crx-backup replaces a zip only when asked; pass --force to replace it, or choose another name.`;
}

export const targetKind = (target: string): BackupKind => (/\.zip$/i.test(target) ? 'zip' : 'directory');

/**
 * Resolves --target against the default backup folder and refuses, before anything
 * is written, a target that would write into the repository or over it.
 */
export function resolveTarget(repository: Repository, target?: string, now = clockNow()): BackupTarget {
	if (target !== undefined && target.trim() === '') throw usageError('The target is empty: give a folder or a file name ending in .zip.');
	const resolved = path.resolve(repository.backupDir, target ?? defaultTargetName(now, repository.backupDir));
	const kind = targetKind(resolved);
	checkTargetPlace(resolved, kind);
	const real = realpathOfNearest(resolved);
	const inside = targetInsideRepository(repository, resolved);
	if (inside) throw usageError(inside);
	if (kind === 'directory' && isInsideOrEqual(real, repository.quickstart)) {
		throw usageError(`The target ${resolved} holds the repository ${repository.quickstart}: a backup there would overwrite it; choose another folder.`);
	}
	let stat: fs.Stats | undefined;
	try {
		stat = fs.statSync(resolved);
	} catch {}
	if (stat && kind === 'directory' && !stat.isDirectory()) throw usageError(`The target ${resolved} exists and is not a folder.`);
	if (stat && kind === 'zip' && !stat.isFile()) throw usageError(`The target ${resolved} exists and is not a file.`);
	if (stat && kind === 'directory' && fs.lstatSync(path.join(resolved, QUICKSTART), {throwIfNoEntry: false})?.isSymbolicLink()) {
		throw usageError(`${path.join(resolved, QUICKSTART)} is a symbolic link: crx-backup never writes through it; remove it or choose another target.`);
	}
	if (stat && kind === 'directory' && isDir(path.join(resolved, QUICKSTART))
		&& !fs.existsSync(path.join(resolved, MANIFEST_NAME)) && !fs.existsSync(path.join(resolved, IN_PROGRESS_MARKER))) {
		// Mirroring deletes what the source lacks: never do that to a crx-quickstart we did not write (another instance, say).
		throw usageError(`The target ${resolved} holds a crx-quickstart folder that is not a crx-backup backup: choose another folder.`);
	}
	return {path: resolved, kind};
}

/**
 * The one rule (and sentence) for a target that leads into the repository, where it
 * really leads (a link in its path followed): resolveTarget refuses it, and the
 * preflight, which checks a target resolved earlier, says it again in the same words.
 */
export function targetInsideRepository(repository: Repository, resolved: string): string | undefined {
	if (!isInsideOrEqual(repository.quickstart, realpathOfNearest(resolved))) return undefined;
	return `The target ${resolved} is inside the repository ${repository.quickstart}: choose a folder outside crx-quickstart.`;
}

/** realpath of the path, or of its nearest existing ancestor with the rest appended (the target may not exist yet). */
export function realpathOfNearest(p: string): string {
	let current = path.resolve(p);
	const rest: string[] = [];
	for (;;) {
		try {
			return path.join(fs.realpathSync(current), ...rest.reverse());
		} catch {
			const parent = path.dirname(current);
			if (parent === current) return path.resolve(p);
			rest.push(path.basename(current));
			current = parent;
		}
	}
}
