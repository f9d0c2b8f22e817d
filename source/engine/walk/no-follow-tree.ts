import fs from 'node:fs';
import path from 'node:path';
import {UnsafeBackupError} from '../entries/entry-rules.js';

/**
 * Reads a directory backup (untrusted: another user may be able to write it)
 * without ever following a link on the way: every folder below the backup root
 * is opened with O_DIRECTORY | O_NOFOLLOW relative to its already-open parent,
 * and the file itself with O_NOFOLLOW relative to its folder.
 *
 * Why this and not lstat-then-open: a check by path and an open by path are two
 * lookups, and a folder swapped for a link between them sends the open to
 * /etc/shadow while the lstat saw a real folder. Node has no openat(2), but on
 * Linux `/proc/self/fd/N/name` is exactly openat(N, name): the kernel resolves
 * `/proc/self/fd/N` to the folder N already holds, not to a path. Where /proc is
 * missing (not Linux) each component is opened by its full path with
 * O_NOFOLLOW, and the open file's dev/ino is compared to an lstat of the path:
 * racy against a swap mid-lookup, but never following a link that is in place.
 *
 * The folders along the path in hand stay open (one per level), so walking a
 * backup in path order opens each folder once.
 */
const PROC = '/proc/self/fd';
const hasProc = fs.existsSync(PROC);
const {O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK} = fs.constants;

export class MissingInBackupError extends Error {}
/** The one sentence for a link where the backup must hold a file or folder, however it was found. */
export const linkInBackup = (name: string) => new UnsafeBackupError(`${name} is a symbolic link in the backup, and crx-backup never reads through one`);
export class NotAFolderError extends Error {}

export class NoFollowTree {
	private readonly chain: Array<{name: string; fd: number}> = [];
	private readonly rootFd: number;

	/** `root` is the operator's own choice of backup, opened as named; everything below it is checked. */
	constructor(private readonly root: string) {
		this.rootFd = fs.openSync(root, O_RDONLY | O_DIRECTORY);
	}

	/** The folder `name` (a checked `crx-quickstart/...` path), opened; its fstat. */
	statFolder(name: string): fs.Stats {
		return fs.fstatSync(this.folder(name.split('/')));
	}

	/** The entry `name` itself, not followed: a file, folder or link (a missing one throws MissingInBackupError). */
	lstat(name: string): fs.Stats {
		const parts = name.split('/');
		const where = this.at(this.folder(parts.slice(0, -1)), parts, parts.length - 1);
		try {
			return fs.lstatSync(where);
		} catch (error) {
			throw this.translate(error, parts, parts.length);
		}
	}

	readlink(name: string): string {
		const parts = name.split('/');
		return fs.readlinkSync(this.at(this.folder(parts.slice(0, -1)), parts, parts.length - 1));
	}

	/**
	 * Opens the file `name` for reading (O_NONBLOCK: a FIFO planted there must not
	 * hang us). A link anywhere on the way, the file included, is an UnsafeBackupError.
	 */
	openFile(name: string): {fd: number; stat: fs.Stats} {
		const parts = name.split('/');
		const where = this.at(this.folder(parts.slice(0, -1)), parts, parts.length - 1);
		let fd: number;
		try {
			fd = fs.openSync(where, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
		} catch (error) {
			throw this.translate(error, parts, parts.length);
		}
		const stat = fs.fstatSync(fd);
		if (!hasProc) this.sameAsPath(fd, stat, where, parts, parts.length);
		return {fd, stat};
	}

	/** The names in the folder `name` with their types (not followed), read through the open folder. */
	list(name: string): fs.Dirent[] {
		const fd = this.folder(name.split('/'));
		return fs.readdirSync(hasProc ? `${PROC}/${fd}` : path.join(this.root, name), {withFileTypes: true});
	}

	close(): void {
		for (const {fd} of this.chain.splice(0)) fs.closeSync(fd);
		fs.closeSync(this.rootFd);
	}

	/** Path that opens component `index` of `parts` below the open folder `parentFd`. */
	private at(parentFd: number, parts: string[], index: number): string {
		return hasProc ? `${PROC}/${parentFd}/${parts[index]}` : path.join(this.root, ...parts.slice(0, index + 1));
	}

	/** The open folder `parts` (empty: the root), reusing the folders open from the last call. */
	private folder(parts: string[]): number {
		let common = 0;
		while (common < this.chain.length && common < parts.length && this.chain[common]!.name === parts[common]) common++;
		for (const {fd} of this.chain.splice(common)) fs.closeSync(fd);
		for (let index = common; index < parts.length; index++) {
			const parentFd = index === 0 ? this.rootFd : this.chain[index - 1]!.fd;
			const where = this.at(parentFd, parts, index);
			let fd: number;
			try {
				fd = fs.openSync(where, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			} catch (error) {
				throw this.translate(error, parts, index + 1);
			}
			this.chain.push({name: parts[index]!, fd});
			if (!hasProc) this.sameAsPath(fd, fs.fstatSync(fd), where, parts, index + 1);
		}
		return parts.length === 0 ? this.rootFd : this.chain[parts.length - 1]!.fd;
	}

	private sameAsPath(fd: number, stat: fs.Stats, where: string, parts: string[], depth: number): void {
		const now = fs.lstatSync(where);
		if (now.dev === stat.dev && now.ino === stat.ino) return;
		fs.closeSync(fd);
		throw new UnsafeBackupError(`${parts.slice(0, depth).join('/')} changed while it was opened`);
	}

	/** An open error of the first `depth` parts: a link there is unsafe; missing and not-a-folder are damage. */
	private translate(error: unknown, parts: string[], depth: number): Error {
		const code = (error as NodeJS.ErrnoException).code;
		const name = parts.slice(0, depth).join('/');
		if (code === 'ELOOP') return linkInBackup(name);
		if (code === 'ENOENT') return new MissingInBackupError(name);
		if (code === 'ENOTDIR') {
			const linked = (() => {
				try {
					return fs.lstatSync(path.join(this.root, name)).isSymbolicLink();
				} catch {
					return false;
				}
			})();
			return linked ? linkInBackup(name) : new NotAFolderError(name);
		}
		return error as Error;
	}
}
