import fs from 'node:fs';
import {comparePaths} from '../walk/source-walk.js';
import {Yielder} from '../walk/yielder.js';

/** A folder's mode and mtime, set once nothing more is written in it. */
export interface FolderMode {
	path: string;
	mode: number;
	mtime: Date | number;
}

const OWNER_RWX = 0o700;

/**
 * Restores folders' modes and mtimes once nothing more is written in them.
 * With the entries in path order (our zips, a directory backup's manifest), a
 * folder is finished as soon as the entries leave it, so only the folders above
 * the entry in hand are held: a million folders cost the depth of the tree, not
 * a million records (they took 170 bytes each). Held to the end, and set deepest
 * first: everything when the order is unknown (other tools' zips, a walk),
 * folders that will hold a link (links are made after every entry), and folders
 * whose mode would stop their owner writing in them (0555: until the restore
 * succeeds its staging folder must stay removable).
 */
export class FolderModes {
	private readonly open: Array<FolderMode & {waits?: boolean}> = [];
	private readonly held: FolderMode[] = [];
	private last: string | undefined;
	private readonly yielder = new Yielder();

	constructor(private ordered: boolean) {}

	/** An entry (file, folder or link) is about to be written at `file`: the folders the entries have left are done. */
	async reach(file: string): Promise<void> {
		// A zip that changed since the check pass: stop finishing folders early.
		if (this.last !== undefined && comparePaths(file, this.last) < 0) this.ordered = false;
		this.last = file;
		if (!this.ordered) return;
		for (let top = this.open.at(-1); top && !file.startsWith(`${top.path}/`); top = this.open.at(-1)) await this.finish(this.open.pop()!);
	}

	async folder(folder: FolderMode): Promise<void> {
		await this.reach(folder.path);
		(this.ordered ? this.open : this.held).push(folder);
	}

	/** A link will be made at `file` after every entry: the folders above it wait for it. */
	async link(file: string): Promise<void> {
		await this.reach(file);
		for (const folder of this.open) folder.waits = true;
	}

	/** Every entry is written (the links come next): finishes the folders still open. */
	async close(): Promise<void> {
		while (this.open.length > 0) await this.finish(this.open.pop()!);
	}

	/** After the links: the folders held back, deepest first, so setting a parent's mtime is not undone by work in a child. */
	async applyHeld(): Promise<void> {
		const depth = (file: string) => file.split('/').length;
		this.held.sort((a, b) => depth(b.path) - depth(a.path));
		for (const folder of this.held) {
			apply(folder);
			await this.yielder.maybe();
		}
		this.held.length = 0;
	}

	private async finish(folder: FolderMode & {waits?: boolean}): Promise<void> {
		if (folder.waits || (folder.mode & OWNER_RWX) !== OWNER_RWX) {
			this.held.push(folder);
			return;
		}
		apply(folder);
		await this.yielder.maybe();
	}
}

function apply(folder: FolderMode): void {
	fs.chmodSync(folder.path, folder.mode);
	fs.utimesSync(folder.path, folder.mtime, folder.mtime);
}
