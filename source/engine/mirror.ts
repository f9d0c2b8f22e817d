import fs from 'node:fs';
import path from 'node:path';
import {copyFile, stillCaptured, type Captured} from './copy-file.js';
import {throwIfAborted} from './errors.js';
import type {ScannedEntry} from './scan.js';
import {readTargetTree, type TargetNode} from './target-tree.js';
import type {Throttle} from './throttle.js';
import {Yielder} from './yielder.js';

/** What a previous backup's manifest says of a file: lets a re-sync skip it without reading it. */
export interface PreviousFile {
	size: number;
	mtimeMs: number;
	crc32: number;
}

export interface PhaseOptions {
	throttle?: Throttle;
	signal?: AbortSignal;
	/** Called once the phase knows what it will copy. */
	onPlan?: (files: number, bytes: number) => void;
	/** Called as bytes are copied (cumulative for the phase). */
	onProgress?: (bytesDone: number, filesDone: number, file: string) => void;
}

export interface PhaseResult {
	files: number;
	bytes: number;
}

/**
 * Keeps a target crx-quickstart folder equal to the source across the four
 * stages. A file is copied when the stat taken before it was last read no longer
 * matches (size, mtime, ctime, inode: mtime alone misses same-size rewrites), and
 * what is gone from the source is deleted from the target. `captured` ends up
 * describing exactly what the target holds: it becomes the manifest.
 */
export class Mirror {
	readonly captured = new Map<string, Captured>();
	readonly dirs = new Map<string, {mode: number; mtimeMs: number}>();

	private constructor(
		private readonly source: string,
		private readonly target: string,
		private readonly known: Map<string, TargetNode>,
		private readonly previous: Map<string, PreviousFile>,
	) {}

	static async open(source: string, target: string, previous = new Map<string, PreviousFile>()): Promise<Mirror> {
		await fs.promises.mkdir(target, {recursive: true, mode: 0o700});
		return new Mirror(source, target, await readTargetTree(target), previous);
	}

	/** Copies what changed among `entries` (one phase's scan). Folders are created first, in scan order. */
	async phase(entries: ScannedEntry[], options: PhaseOptions): Promise<PhaseResult> {
		const toCopy: ScannedEntry[] = [];
		let bytesPlanned = 0;
		const yielder = new Yielder();
		for (const entry of entries) {
			await yielder.maybe();
			if (entry.type === 'dir') {
				await this.ensureDir(entry.rel);
				this.dirs.set(entry.rel, {mode: entry.mode, mtimeMs: entry.mtimeMs});
			} else if (!this.unchanged(entry)) {
				toCopy.push(entry);
				bytesPlanned += entry.size;
			}
		}
		options.onPlan?.(toCopy.length, bytesPlanned);

		let bytesDone = 0;
		let filesDone = 0;
		for (const entry of toCopy) {
			throwIfAborted(options.signal);
			const node = this.known.get(entry.rel);
			if (node && node.type !== 'file') await this.remove(entry.rel); // A folder or link where a file belongs.
			const result = await copyFile(path.join(this.source, entry.rel), path.join(this.target, entry.rel), {
				onChunk: async bytes => {
					bytesDone += bytes;
					options.onProgress?.(bytesDone, filesDone, entry.rel);
					await options.throttle?.pass(bytes);
					await yielder.maybe();
				},
			}, this.known.has(entry.rel));
			filesDone++;
			if (result) {
				this.captured.set(entry.rel, result);
				this.known.set(entry.rel, {type: 'file', size: result.size, mtimeMs: result.mtimeMs});
			}
			options.onProgress?.(bytesDone, filesDone, entry.rel);
			await yielder.maybe();
		}
		throwIfAborted(options.signal);
		return {files: filesDone, bytes: bytesDone};
	}

	/** Deletes from the target everything not seen in the source during this stage. Returns how many paths went. */
	async prune(seen: Set<string>): Promise<number> {
		const gone = [...this.known.keys()].filter(rel => !seen.has(rel)).sort();
		let deleted = 0;
		let lastRemovedDir: string | undefined;
		for (const rel of gone) {
			if (lastRemovedDir && rel.startsWith(`${lastRemovedDir}/`)) continue;
			const node = this.known.get(rel);
			await this.remove(rel);
			if (node?.type === 'dir') lastRemovedDir = rel;
			deleted++;
		}
		for (const rel of this.captured.keys()) if (!seen.has(rel)) this.captured.delete(rel);
		for (const rel of this.dirs.keys()) if (!seen.has(rel)) this.dirs.delete(rel);
		return deleted;
	}

	/** Unchanged since captured, or (first stage of a re-sync) already in the target as the previous manifest says. */
	private unchanged(entry: ScannedEntry): boolean {
		const captured = this.captured.get(entry.rel);
		if (captured) return stillCaptured(captured, entry);
		const existing = this.known.get(entry.rel);
		const previous = this.previous.get(entry.rel);
		if (existing?.type !== 'file' || !previous) return false;
		const same = previous.size === entry.size && existing.size === entry.size
			&& previous.mtimeMs === entry.mtimeMs && Math.abs(existing.mtimeMs - entry.mtimeMs) < 1; // utimes rounds through floating seconds.
		if (!same) return false;
		// Not read this time: recent changes are not settled, so the next stage reads it (racy).
		const racy = Date.now() - Math.max(entry.mtimeMs, entry.ctimeMs) < 2000;
		this.captured.set(entry.rel, {size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs, ino: entry.ino, mode: entry.mode, crc32: previous.crc32, racy});
		return true;
	}

	private async ensureDir(rel: string): Promise<void> {
		const node = this.known.get(rel);
		if (node?.type === 'dir') return;
		if (node) await this.remove(rel); // A file or link where a folder belongs: never write through it.
		try {
			fs.mkdirSync(path.join(this.target, rel), {mode: 0o700});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		this.known.set(rel, {type: 'dir', size: 0, mtimeMs: 0});
	}

	private async remove(rel: string): Promise<void> {
		// fs.rm never follows symbolic links: a link in the target goes, what it points to stays.
		fs.rmSync(path.join(this.target, rel), {recursive: true, force: true});
		const node = this.known.get(rel);
		this.known.delete(rel);
		this.captured.delete(rel);
		if (node?.type === 'dir') {
			for (const key of this.known.keys()) if (key.startsWith(`${rel}/`)) this.known.delete(key);
		}
	}
}
