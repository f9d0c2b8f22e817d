import fs from 'node:fs';
import path from 'node:path';
import {setImmediate as tick} from 'node:timers/promises';
import {failure} from '../platform/errors.js';
import {Yielder} from './yielder.js';

/** Test seams only: called after a folder's listing is read, before any entry of it is removed. */
export interface RemoveTreeHooks {
	afterList?: (dir: string, names: string[]) => void | Promise<void>;
	/**
	 * Names at the top of the tree removed after everything else, in this order: a backup's
	 * manifest and markers go last, so a delete stopped half-way leaves a folder that still says
	 * what it is (and that it is being deleted), never one that looks like an install.
	 */
	last?: string[];
}

const {O_RDONLY, O_DIRECTORY, O_NOFOLLOW} = fs.constants;
const FOLDER_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;

/** A folder held open while its entries are removed; `shown` is its path for messages (and the fallback). */
interface Folder {
	fd: number;
	shown: string;
	dev: number;
	ino: number;
	parent?: Folder;
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

const changed = (root: string, shown: string) => failure(
	`Stopped deleting ${root}: ${shown} was replaced while it was being deleted (by a link or another folder), so the rest is left as it is; check who else can write there.`,
);

/**
 * Removes a tree without ever following a symlink, even when someone who can
 * write inside it swaps a folder for a link while it is being removed (the
 * threat: another local user with write access to a backup folder).
 *
 * Approach: every folder is opened with O_DIRECTORY | O_NOFOLLOW, its fstat
 * compared with the lstat that found it, and everything below it is done
 * relative to that open handle. Node has no openat/unlinkat, so on Linux the
 * handle is named `/proc/self/fd/N/<name>`: the kernel resolves `/proc/self/fd/N`
 * to the folder actually open, wherever it now is, and `unlink`, `rmdir`,
 * `lstat` and an O_NOFOLLOW `open` of `<name>` never follow the last component.
 * No path component is resolved twice, so there is no window in which a swapped
 * folder or link can redirect a removal outside the tree: a swap is seen (the
 * entry's type or identity changed) and the removal stops with one sentence.
 *
 * Without /proc (not Linux), paths are used, and before every listing, unlink,
 * rmdir and open the chain of folders from the root down is lstat-ed and
 * compared with the handles held. Residual window there: a swap of a component
 * between that check and the call it guards (microseconds) can redirect one
 * unlink or rmdir of an entry of the same name; the next check then stops.
 *
 * Synchronous calls in a yielding loop: a million files cost one unlink each,
 * not a thread-pool hand-off each, and the event loop (signals, the TUI) stays alive.
 */
export async function removeTree(root: string, hooks: RemoveTreeHooks = {}): Promise<void> {
	const stat = fs.lstatSync(root, {throwIfNoEntry: false});
	if (!stat) return;
	if (!stat.isDirectory()) {
		// unlink never follows: a zip (or a link in its place) goes, never what a link points to.
		unlinkEntry(root, root, root);
		return;
	}
	const top = openFolder(root, root, stat, root);
	const at = viaProc(top) ? procPath : checkedPath(root);
	try {
		await new Remover(root, at, hooks).empty(top);
	} finally {
		fs.closeSync(top.fd);
	}
	const now = fs.lstatSync(root, {throwIfNoEntry: false});
	if (now && (now.dev !== top.dev || now.ino !== top.ino)) throw changed(root, root);
	fs.rmdirSync(root);
	await tick();
}

type EntryPath = (folder: Folder, name?: string) => string;

const procPath: EntryPath = (folder, name) => `/proc/self/fd/${folder.fd}${name === undefined ? '' : `/${name}`}`;

/** The fallback: a plain path, after checking that every folder from the root down is still the one held open. */
function checkedPath(root: string): EntryPath {
	return (folder, name) => {
		for (let at: Folder | undefined = folder; at; at = at.parent) {
			const now = fs.lstatSync(at.shown, {throwIfNoEntry: false});
			if (!now || now.dev !== at.dev || now.ino !== at.ino) throw changed(root, at.shown);
		}
		return name === undefined ? folder.shown : path.join(folder.shown, name);
	};
}

/** Whether /proc/self/fd names open folders here (Linux with /proc mounted). */
function viaProc(folder: Folder): boolean {
	try {
		const stat = fs.statSync(procPath(folder));
		return stat.dev === folder.dev && stat.ino === folder.ino;
	} catch {
		return false;
	}
}

function openFolder(at: string, shown: string, expected: fs.Stats, root: string, parent?: Folder): Folder {
	let fd: number;
	try {
		fd = fs.openSync(at, FOLDER_FLAGS);
	} catch (error) {
		// ELOOP/ENOTDIR: a link or a file now where a folder was listed; ENOENT: it went.
		if (['ELOOP', 'ENOTDIR', 'ENOENT'].includes(codeOf(error) ?? '')) throw changed(root, shown);
		throw error;
	}
	const stat = fs.fstatSync(fd);
	if (stat.dev !== expected.dev || stat.ino !== expected.ino) {
		fs.closeSync(fd);
		throw changed(root, shown);
	}
	return {fd, shown, dev: stat.dev, ino: stat.ino, parent};
}

function unlinkEntry(at: string, shown: string, root: string): void {
	try {
		fs.unlinkSync(at);
	} catch (error) {
		if (codeOf(error) === 'ENOENT') return;
		// EISDIR (Linux) / EPERM (macOS): a folder now where a file or link was.
		if (codeOf(error) === 'EISDIR' || codeOf(error) === 'EPERM') throw changed(root, shown);
		throw error;
	}
}

class Remover {
	private readonly yielder = new Yielder();

	constructor(private readonly root: string, private readonly at: EntryPath, private readonly hooks: RemoveTreeHooks) {}

	/** Removes everything inside `folder` (held open), depth first. */
	async empty(folder: Folder): Promise<void> {
		const listing = fs.readdirSync(this.at(folder), {withFileTypes: true});
		const last = folder.parent === undefined ? this.hooks.last ?? [] : [];
		const rank = (name: string) => last.indexOf(name);
		if (last.length > 0) listing.sort((a, b) => rank(a.name) - rank(b.name));
		await this.hooks.afterList?.(folder.shown, listing.map(entry => entry.name));
		for (const entry of listing) {
			const shown = path.join(folder.shown, entry.name);
			const stat = fs.lstatSync(this.at(folder, entry.name), {throwIfNoEntry: false});
			if (!stat) continue; // Gone already.
			// A folder in the listing that is something else now (or the reverse) was swapped: stop.
			// (Node lstat-s entries whose type the file system does not report, so the listed type is known.)
			if (entry.isDirectory() !== stat.isDirectory()) throw changed(this.root, shown);
			if (stat.isDirectory()) await this.folder(folder, entry.name, shown, stat);
			else unlinkEntry(this.at(folder, entry.name), shown, this.root);
			if (this.yielder.due()) await this.yielder.pause();
		}
	}

	private async folder(parent: Folder, name: string, shown: string, stat: fs.Stats): Promise<void> {
		// A mount point inside a backup is not the backup's to empty.
		if (stat.dev !== parent.dev) {
			throw failure(`Stopped deleting ${this.root}: ${shown} is another file system mounted inside it; unmount it first.`);
		}
		const child = openFolder(this.at(parent, name), shown, stat, this.root, parent);
		try {
			await this.empty(child);
		} finally {
			fs.closeSync(child.fd);
		}
		try {
			fs.rmdirSync(this.at(parent, name));
		} catch (error) {
			if (codeOf(error) === 'ENOENT') return;
			// A link, a file or a refilled folder in its place.
			if (['ENOTDIR', 'ENOTEMPTY', 'EEXIST'].includes(codeOf(error) ?? '')) throw changed(this.root, shown);
			throw error;
		}
	}
}
