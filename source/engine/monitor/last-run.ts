import {lockPath} from '../backup/lock.js';
import {readStateJson, writeStateJson} from '../platform/state-dir.js';
import type {LastRun} from '../types.js';


/** Beside the repository's lock, under the same name: `<id>.last-run.json`. */
export const lastRunPath = (quickstart: string) => lockPath(quickstart).replace(/\.lock$/, '.last-run.json');

/** Written atomically (writeStateJson): a reader sees the previous record or this one; a planted link or another user's folder is refused. */
export function writeLastRun(run: LastRun): string {
	const file = lastRunPath(run.repository);
	writeStateJson(file, run);
	return file;
}

/** The record, or undefined when there is none (or it is not a plain file of ours: never read through a link). */
export function readLastRun(quickstart: string): LastRun | undefined {
	const run = readStateJson(lastRunPath(quickstart)) as LastRun | undefined;
	return run && typeof run === 'object' && typeof run.exitCode === 'number' && typeof run.finishedAt === 'string' ? run : undefined;
}
