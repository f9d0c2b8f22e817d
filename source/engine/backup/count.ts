import {walkInParallel} from '../walk/parallel-walk.js';
import {entryRecord, type WalkOptions} from '../walk/source-walk.js';
import {StateWriter} from '../walk/state-file.js';
import type {HelperThread} from '../walk/helper-thread.js';
import {Yielder} from '../walk/yielder.js';

export interface CountOptions extends WalkOptions {
	/** Where to write every entry the count found, with its stat, for stage 1 to replay (see replayWalk). */
	entriesOut?: string;
	/** Walks part of the tree on a second core (see walkInParallel). */
	helper?: HelperThread;
}

/** Files and bytes a walk would back up, without keeping the entries (and, with listingOut and entriesOut, what the next walk can reuse). */
export async function countTree(root: string, options: CountOptions): Promise<{files: number; bytes: number}> {
	const {helper, entriesOut, ...walkOptions} = options;
	let files = 0;
	let bytes = 0;
	const out = entriesOut ? new StateWriter(entriesOut) : undefined;
	const yielder = new Yielder();
	try {
		for await (const part of walkInParallel(root, walkOptions, helper)) {
			for (const entry of part) {
				if (yielder.due()) await yielder.pause();
				out?.write(entryRecord(entry));
				if (entry.type !== 'file') continue;
				files++;
				bytes += entry.size;
			}
		}
	} finally {
		out?.close();
	}
	return {files, bytes};
}
