import type {Phase} from '../types.js';
import type {PhaseScope} from './scope.js';
import type {WalkOptions} from './source-walk.js';
import type {Captured, CaptureItem} from './capture.js';

/**
 * The jobs the backup's helper thread (helper-thread.ts) takes, as plain data
 * that crosses threads. The thread itself knows only these shapes; the code
 * that runs a snapshot job lives with the backup (backup/target-snapshot.ts).
 */

/** What a re-synced target holds, per phase: where to write it and which part of the tree each phase covers. */
export interface SnapshotJob {
	/** The target's crx-quickstart folder. */
	target: string;
	previousManifest?: string;
	phases: Array<{phase: Phase; scope: PhaseScope; file: string}>;
}

/** One part of a split walk: its entries go into a state file. */
export interface WalkPartJob {
	kind: 'walk';
	root: string;
	/** WalkOptions without the callbacks and the signal, which cannot cross threads. */
	options: Omit<WalkOptions, 'signal' | 'onWarning'>;
	entriesOut: string;
}

/** A re-synced target's snapshot (see target-snapshot.ts). */
export interface SnapshotTask {
	kind: 'snapshot';
	job: SnapshotJob;
}

/** Small files to copy (or only read and checksum), in order (see CaptureQueue). */
export interface CaptureJob {
	kind: 'capture';
	items: CaptureItem[];
}

export type HelperJob = WalkPartJob | SnapshotTask | CaptureJob;

/** A walk's or snapshot's warnings, a capture's results (null: the source vanished), or the error (a file system error's fields kept: its sentence names the path). */
export type HelperReply = {warnings: string[]} | {captured: Array<Captured | null>} | {error: string; code?: string; syscall?: string; path?: string; dest?: string};
