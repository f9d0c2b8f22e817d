import fs from 'node:fs';
import path from 'node:path';
import {copyFile, stillCaptured, type Captured} from '../walk/capture.js';
import {racyWindowMs} from '../walk/settled.js';
import {batchFiles, CaptureQueue, smallFileBytes} from './capture-queue.js';
import type {HelperThread} from '../walk/helper-thread.js';
import {throwIfAborted} from '../platform/errors.js';
import {comparePaths, type ScannedEntry} from '../walk/source-walk.js';
import type {PreviousState, StateRecord, StateWriter} from '../walk/state-file.js';
import type {Throttle} from './throttle.js';
import {Yielder} from '../walk/yielder.js';
import type {WalkParts} from '../walk/parallel-walk.js';
import type {OnProgress} from '../types.js';
import type {PreviousLinker} from './link-file.js';
import type {WrittenInodes} from './written-inodes.js';

export interface PhaseOptions {
	throttle?: Throttle;
	/**
	 * Files to read and checksum without writing them to the target (a zip
	 * backup's datastore records: immutable, content-addressed blobs that the zip
	 * step reads straight from the source, checking each against its record).
	 * With it, folders are made in the target only to hold the files it does copy.
	 */
	captureOnly?: (rel: string) => boolean;
	signal?: AbortSignal;
	/** Bytes and files looked at so far (copied or found unchanged), and the file in hand. */
	onProgress?: OnProgress;
	/**
	 * Stage 1 with --link-dest: the target starts empty and `previous` describes
	 * the previous backup, whose unchanged files are hard-linked instead of copied.
	 * Nothing is ever deleted or replaced there: the target is another folder.
	 */
	link?: PreviousLinker;
	/** A directory backup: the inodes of the copies it writes (and links) are recorded for the next --link-dest. */
	written?: WrittenInodes;
	/** Copies small files too, when idle (see CaptureQueue). */
	helper?: HelperThread;
}

export interface PhaseResult {
	/** Copied by this phase. */
	files: number;
	bytes: number;
	/** Deleted from the target because they are gone from the source. */
	deleted: number;
	/** Files the previous state already held as they are: kept, not copied (a re-sync's saving). */
	unchanged: number;
}

/**
 * One phase of one stage: merges the walk of the source with the previous state
 * of the target, both in walk order. A file is copied when the stat taken before
 * it was last read no longer matches (size, mtime, ctime, inode: mtime alone
 * misses same-size rewrites); what the previous state has and the walk has not is
 * deleted from the target, only once the walk has gone past it (a path the walk
 * positively saw missing), never because the walk was cut short: a cancel, a failure
 * or a kill leaves what a finished phase would have kept. The records written to
 * `out` describe exactly what the target then holds: the next stage's previous
 * state, and in the end the manifest.
 */
export async function mirrorPhase(source: string, target: string, walk: WalkParts, previous: PreviousState | undefined, out: StateWriter, options: PhaseOptions): Promise<PhaseResult> {
	const result: PhaseResult = {files: 0, bytes: 0, deleted: 0, unchanged: 0};
	const yielder = new Yielder();
	let deletedPrefix: string | undefined;
	let bytesDone = 0;
	let filesDone = 0;

	const remove = (rel: string): void => {
		if (options.link) return; // The previous state is the previous backup's: the new target does not hold it.
		// fs.rm never follows symbolic links: a link in the target goes, what it points to stays.
		fs.rmSync(path.join(target, rel), {recursive: true, force: true});
	};
	/** Deletes every previous path that sorts before `rel`: the walk has passed it, so the source no longer has it. */
	const dropBefore = (rel: string | undefined) => {
		for (let record = previous?.peek(); record && (rel === undefined || comparePaths(record.rel, rel) < 0); record = previous?.peek()) {
			previous!.next();
			if (deletedPrefix && record.rel.startsWith(deletedPrefix)) continue;
			remove(record.rel);
			if (!options.link) result.deleted++;
			if (record.type === 'dir') deletedPrefix = `${record.rel}/`;
		}
	};

	/** A file is done (kept or copied): the progress. */
	const advance = (entry: ScannedEntry) => {
		bytesDone += entry.size;
		filesDone++;
		options.onProgress?.(bytesDone, filesDone, entry.rel);
	};
	/** What a copy leaves: its record, or (it vanished) no stale copy; then the progress. */
	const settle = (entry: ScannedEntry, before: StateRecord | undefined, captured: Captured | undefined, copied: number) => {
		result.bytes += copied;
		if (captured) {
			result.files++;
			if (captured.targetIno !== undefined) options.written?.add(captured.targetIno);
			out.write({rel: entry.rel, type: 'file', size: captured.size, mtimeMs: captured.mtimeMs, ctimeMs: captured.ctimeMs, ino: captured.ino, mode: captured.mode, crc32: captured.crc32, racy: captured.racy});
		} else if (before) {
			remove(entry.rel); // It vanished: no stale copy may stay behind without a record.
		}
		advance(entry);
	};
	// Under the delay every file pays as it is copied (one a batch); the delay is what the operator asked for.
	const queue = new CaptureQueue<{entry: ScannedEntry; before?: StateRecord}>(options.helper, options.throttle?.active ? 1 : batchFiles, record => out.write(record),
		({entry, before}, captured) => settle(entry, before, captured, captured?.size ?? 0));

	const pay = async (bytes: number) => {
		if (bytes > 0) await options.throttle?.pass(bytes);
	};

	try {
		for await (const part of walk) {
			for (const entry of part) {
				throwIfAborted(options.signal);
				if (yielder.due()) await yielder.pause();
				dropBefore(entry.rel);
				let before = previous?.peek()?.rel === entry.rel ? previous.next() : undefined;
				if (before && deletedPrefix && before.rel.startsWith(deletedPrefix)) before = undefined;
				if (before && before.type !== entry.type) {
					// A folder where a file belongs, a file or link where a folder belongs: never write through it.
					remove(entry.rel);
					if (before.type === 'dir') deletedPrefix = `${entry.rel}/`;
					before = undefined;
				}
				if (entry.type === 'dir') {
					if ((!before || options.link) && !options.captureOnly) makeDir(path.join(target, entry.rel));
					queue.write({rel: entry.rel, type: 'dir', size: 0, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs, ino: entry.ino, mode: entry.mode, crc32: 0, racy: false});
					continue;
				}
				const kept = before && unchanged(before, entry, options.link !== undefined);
				if (kept && options.link && !options.link.link(entry.rel, path.join(target, entry.rel), entry.size, entry.ino, kept.crc32)) before = undefined;
				if (kept && before) {
					queue.write(kept);
					result.unchanged++;
					advance(entry);
					continue;
				}
				const staged = !options.captureOnly?.(entry.rel);
				// With captureOnly, folders are not made as the walk meets them: only those that hold a staged file.
				if (staged && options.captureOnly) fs.mkdirSync(path.dirname(path.join(target, entry.rel)), {recursive: true, mode: 0o700});
				const item = {source: path.join(source, entry.rel), destination: staged ? path.join(target, entry.rel) : undefined, exists: before !== undefined && !options.link};
				if (entry.size <= smallFileBytes) {
					await pay(await queue.add({entry, before}, item, entry.size));
					continue;
				}
				// A big file: chunk by chunk on this thread, each chunk paying the delay; its record after every queued one.
				await pay(await queue.flush());
				let copied = 0;
				const captured = await copyFile(item.source, item.destination, {
					onChunk: async bytes => {
						copied += bytes;
						options.onProgress?.(bytesDone + copied, filesDone, entry.rel);
						await options.throttle?.pass(bytes);
						await yielder.maybe();
					},
				}, item.exists);
				settle(entry, before, captured, copied);
			}
		}
		await pay(await queue.flush());
	} finally {
		await queue.close();
	}
	// Only a walk that reached its end has shown that the rest of the previous state is gone from the source:
	// an aborted one must not look like it (the walks throw when aborted; this check keeps any walk honest).
	throwIfAborted(options.signal);
	dropBefore(undefined);
	return result;
}

/** The record to keep when the previous copy still holds, else undefined. */
function unchanged(before: StateRecord, entry: ScannedEntry, linking: boolean): StateRecord | undefined {
	if (!before.quick) return linking ? undefined : stillCaptured(before, entry) ? before : undefined;
	// Stage 1 of a re-sync: the previous manifest and the target agree with the source on size and mtime (rsync's quick check).
	if (before.size !== entry.size || before.mtimeMs !== entry.mtimeMs) return undefined;
	// A linked copy keeps the previous night's mode: the source's must not have changed since.
	if (linking && (before.mode & 0o7777) !== (entry.mode & 0o7777)) return undefined;
	const racy = Date.now() - Math.max(entry.mtimeMs, entry.ctimeMs) < racyWindowMs; // Not read now: recent changes are not settled.
	return {rel: entry.rel, type: 'file', size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs, ino: entry.ino, mode: entry.mode, crc32: before.crc32, racy};
}

function makeDir(dir: string): void {
	try {
		fs.mkdirSync(dir, {mode: 0o700});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
	}
}
