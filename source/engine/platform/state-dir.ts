import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {usageError} from './errors.js';
import {isInsideOrEqual} from './paths.js';

/**
 * The state folder: where the repository locks and the folder-listing caches
 * live. One per user, never shared, so nobody else can plant a lock, a forged
 * listing or a symlink in it: `$CRX_BACKUP_STATE_DIR` (the tests set it), else
 * `$XDG_STATE_HOME/crx-backup`, else `~/.local/state/crx-backup`, else, with no
 * home of our own, `$TMPDIR/crx-backup-<uid>`.
 */
export function stateDirPath(): {dir: string; createParents: boolean} {
	const explicit = process.env.CRX_BACKUP_STATE_DIR;
	if (explicit) return {dir: path.resolve(explicit), createParents: false};
	const home = usableHome();
	const xdg = process.env.XDG_STATE_HOME;
	// The XDG spec says a relative XDG_STATE_HOME is to be ignored.
	if (xdg && path.isAbsolute(xdg)) {
		const dir = path.join(xdg, 'crx-backup');
		return {dir, createParents: home !== undefined && isInsideOrEqual(home, xdg)};
	}
	if (home) return {dir: path.join(home, '.local', 'state', 'crx-backup'), createParents: true};
	return {dir: path.join(os.tmpdir(), `crx-backup-${euid() ?? 'user'}`), createParents: false};
}

const euid = () => process.geteuid?.();

/** $HOME (or the password file's), if it is a folder of this user's: root run with another user's HOME must not write there. */
function usableHome(): string | undefined {
	let home: string;
	try {
		home = os.homedir();
	} catch {
		return undefined;
	}
	if (!home || !path.isAbsolute(home)) return undefined;
	const stat = fs.statSync(home, {throwIfNoEntry: false});
	if (!stat?.isDirectory()) return undefined;
	return euid() === undefined || stat.uid === euid() ? home : undefined;
}

/**
 * Creates the state folder (0700) if it is missing and checks it on every run:
 * a real folder, not a symlink, owned by this user, writable by nobody else.
 * Anything else is refused with one sentence before anything is written (exit
 * 2, like any other bad input: the operator fixes the folder and runs again).
 * The check is made with lstat and again on a no-follow handle of the folder
 * itself, so a symlink swapped in between the look and the open is caught too.
 */
export function openStateDir(): string {
	const {dir, createParents} = stateDirPath();
	const hint = 'remove it or set CRX_BACKUP_STATE_DIR to a folder of your own';
	try {
		if (createParents) fs.mkdirSync(path.dirname(dir), {recursive: true, mode: 0o700});
		fs.mkdirSync(dir, {mode: 0o700});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw usageError(`The state folder's parent ${path.dirname(dir)} does not exist: create it or set CRX_BACKUP_STATE_DIR to a folder of your own.`);
		if (code !== 'EEXIST') throw usageError(`Cannot create the state folder ${dir} (${code ?? 'error'}): set CRX_BACKUP_STATE_DIR to a folder of your own.`);
	}
	const seen = fs.lstatSync(dir, {throwIfNoEntry: false});
	if (seen?.isSymbolicLink()) throw usageError(`The state folder ${dir} is a symbolic link: ${hint}.`);
	if (!seen?.isDirectory()) throw usageError(`The state folder ${dir} is not a folder: ${hint}.`);
	let fd: number;
	try {
		fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
	} catch (error) {
		throw usageError(`Cannot open the state folder ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${hint}.`);
	}
	try {
		const stat = fs.fstatSync(fd);
		if (stat.ino !== seen.ino || stat.dev !== seen.dev) throw usageError(`The state folder ${dir} changed while it was checked: ${hint}.`);
		const uid = euid();
		if (uid !== undefined && stat.uid !== uid) throw usageError(`The state folder ${dir} belongs to another user (uid ${stat.uid}): ${hint}.`);
		if ((stat.mode & 0o022) !== 0) throw usageError(`The state folder ${dir} is writable by other users (mode ${(stat.mode & 0o7777).toString(8)}): ${hint}.`);
	} finally {
		fs.closeSync(fd);
	}
	removeDeadTemps(dir);
	return dir;
}

const TEMP = /\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Temporary files (createPrivateFile's) of processes that are gone: what a SIGKILL between create and rename leaves. */
export function removeDeadTemps(dir: string): void {
	for (const name of fs.readdirSync(dir)) {
		const pid = Number(TEMP.exec(name)?.[1]);
		if (!pid) continue;
		try {
			process.kill(pid, 0);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(dir, name), {force: true});
		}
	}
}

/**
 * A new file of this user's only (0600) under a random name beside `base`:
 * O_EXCL | O_NOFOLLOW, so nothing already there (a planted symlink included)
 * is ever opened or written through. The caller closes `fd`.
 */
export function createPrivateFile(base: string, suffix = 'tmp'): {fd: number; file: string} {
	for (let attempt = 0; ; attempt++) {
		const file = `${base}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.${suffix}`;
		try {
			const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW, 0o600);
			fs.fchmodSync(fd, 0o600); // The umask only ever removes bits; this makes it exactly 0600.
			return {fd, file};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw error;
		}
	}
}

/**
 * Writes `value` as JSON to `file` in the state folder (checked first): whole under a private temporary name,
 * synced, then renamed into place, so a reader sees the previous record or this one, never half of one.
 */
export function writeStateJson(file: string, value: unknown): void {
	openStateDir();
	const {fd, file: temp} = createPrivateFile(file);
	try {
		fs.writeFileSync(fd, `${JSON.stringify(value, null, 2)}\n`);
		fs.fsyncSync(fd);
	} catch (error) {
		fs.closeSync(fd);
		fs.rmSync(temp, {force: true});
		throw error;
	}
	fs.closeSync(fd);
	fs.renameSync(temp, file);
}

/** A state record's parsed JSON, or undefined when there is none or it is not a plain file of ours (never read through a link, never from a FIFO). */
/**
 * Like writeStateJson, but only when `file` does not exist yet: linked into place (link never replaces), so of two
 * processes claiming the same name at once exactly one gets it. False when it was there already.
 */
export function createStateJson(file: string, value: unknown): boolean {
	openStateDir();
	const {fd, file: temp} = createPrivateFile(file);
	try {
		fs.writeFileSync(fd, `${JSON.stringify(value, null, 2)}\n`);
		fs.fsyncSync(fd);
		fs.closeSync(fd);
		fs.linkSync(temp, file);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	} finally {
		fs.rmSync(temp, {force: true});
	}
}

export function readStateJson(file: string, maxBytes = 4 * 1024 * 1024): unknown {
	let fd: number | undefined;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile() || stat.size > maxBytes) return undefined;
		return JSON.parse(fs.readFileSync(fd, 'utf8')) as unknown;
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
}
