import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from './errors.js';

const groupOrOtherWrite = 0o022;
const sticky = 0o1000;
/** The kernel's own limit on links followed in one lookup (MAXSYMLINKS). */
const maxLinks = 40;

/**
 * Refuses a place another local user could redirect (the attack:
 * a directory target, a restore destination or a folder above either that
 * someone else may write lets them swap a folder for a link between our check
 * and our write, and root then writes, moves or deletes where they chose).
 *
 * `folder` is where we write (a directory target, a restore destination, the
 * folder that holds a zip target). The path is walked as the kernel would look
 * it up, one name at a time, every link followed from where it sits, so every
 * folder a lookup passes through is checked, on the path as given and wherever
 * its links lead (checking only the text and the realpath misses the folders
 * holding the links in between). Each folder passed through must belong to us
 * (the effective uid) or root and be writable by nobody else, or be sticky (as
 * /tmp is: there nobody may rename or remove what is not theirs, so what we pass
 * through in it must belong to us or root too, links included). The folder
 * itself, when it exists, must not be writable by others at all; `sharedOk`
 * allows it to be sticky and shared (the folder holding a zip, or the one a new
 * destination is made in: we only create names of our own there, exclusively).
 * A folder not yet made is checked by its nearest existing ancestor, and the
 * callers check again once they have made it (someone may have made it first).
 * The same rule as OpenSSH's StrictModes for ~/.ssh. Reads only.
 */
export function checkPrivatePlace(folder: string, what: string, options: {sharedOk?: boolean} = {}): void {
	const uid = process.geteuid?.() ?? 0;
	const trusted = (stat: fs.Stats) => stat.uid === uid || stat.uid === 0;
	const pending = splitPath(path.resolve(folder));
	let at = '/';
	let links = 0;
	checkFolder(at, lstat(at)!, pending.length === 0);
	while (pending.length > 0) {
		const name = pending.shift()!;
		if (name === '..') {
			at = path.dirname(at); // `at` is a real folder by now, so its parent is where `..` leads.
			continue;
		}
		const next = path.join(at, name);
		const stat = lstat(next);
		if (!stat) return; // Not there yet: the caller makes the rest, in the folder just checked.
		if (stat.isSymbolicLink()) {
			// A link in a shared (sticky) folder can be replaced by whoever owns it.
			if (!trusted(stat) && (lstat(at)!.mode & groupOrOtherWrite) !== 0) throw usageError(`${shortPath(next)} is a link owned by another user (uid ${stat.uid}), who could redirect ${what}: use a path of your own.`);
			if (++links > maxLinks) throw usageError(`${shortPath(folder)} passes through too many links to check where ${what} really is: choose another place.`);
			const target = fs.readlinkSync(next);
			pending.unshift(...splitPath(target));
			if (path.isAbsolute(target)) at = '/';
			continue;
		}
		if (!stat.isDirectory()) return; // A file on the way: the callers refuse it with their own sentence.
		at = next;
		checkFolder(at, stat, pending.length === 0);
	}

	function checkFolder(dir: string, stat: fs.Stats, isTheFolder: boolean): void {
		if (!trusted(stat)) throw usageError(`${shortPath(dir)} belongs to another user (uid ${stat.uid}), who could redirect ${what}: use a folder of your own or root's.`);
		const writableByOthers = (stat.mode & groupOrOtherWrite) !== 0;
		if (!writableByOthers) return;
		const shared = (stat.mode & sticky) !== 0;
		if (shared && (!isTheFolder || options.sharedOk)) return;
		throw usageError(`${shortPath(dir)} is writable by other users (mode ${(stat.mode & 0o7777).toString(8)}), who could redirect ${what}: remove their write permission or choose another place.`);
	}

	function lstat(file: string): fs.Stats | undefined {
		try {
			return fs.lstatSync(file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT') return undefined;
			throw usageError(`${shortPath(file)} cannot be checked (${code ?? 'error'}), so ${what} cannot be trusted: choose another place.`);
		}
	}
}

function splitPath(text: string): string[] {
	return text.split('/').filter(name => name !== '' && name !== '.');
}

/**
 * Creates a new file of ours in a target (a marker, a manifest's temporary
 * file) and returns its descriptor: whatever sits at the name is unlinked first
 * (unlink never follows a link), then the file is created with
 * O_EXCL | O_NOFOLLOW, mode 0600, so a link or file planted there (by
 * another user who may write the folder) is never written through: if one reappears in between, the open fails.
 */
export function replaceWithPrivateFile(file: string): number {
	try {
		fs.unlinkSync(file);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
	const {O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW} = fs.constants;
	return fs.openSync(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
}

/** replaceWithPrivateFile, with `text` written and the file closed. */
export function writePrivateFile(file: string, text: string): void {
	const fd = replaceWithPrivateFile(file);
	try {
		fs.writeFileSync(fd, text);
	} finally {
		fs.closeSync(fd);
	}
}
