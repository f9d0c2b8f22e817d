import {clockNow} from '../platform/clock.js';
import type {DrillHealth, Repository} from '../types.js';
import {cleanDrillLeftovers} from './leftovers.js';
import {readHistory} from './records.js';

/**
 * The last drill and the last good one, by the engine's clock. A killed drill's AEM and scratch folder are
 * stopped and removed first (leftovers.ts: only what is provably its own), so a nightly `status` check clears
 * what a drill killed in the night left.
 */
export async function drillHealth(repository: Repository, maxAgeMs?: number): Promise<DrillHealth> {
	const cleaned = await cleanDrillLeftovers(repository.quickstart).catch((error: Error) => [`Cleaning up after a killed drill failed: ${error.message}`]);
	const {last, lastGood} = readHistory(repository.quickstart);
	const now = clockNow().getTime();
	const age = (finishedAt: string) => Math.max(0, now - Date.parse(finishedAt));
	const lastGoodAgeMs = lastGood ? age(lastGood.finishedAt) : undefined;
	return {
		...(last ? {last, lastAgeMs: age(last.finishedAt)} : {}),
		...(lastGood ? {lastGood, lastGoodAgeMs} : {}),
		...(maxAgeMs !== undefined ? {fresh: lastGoodAgeMs !== undefined && lastGoodAgeMs <= maxAgeMs} : {}),
		...(cleaned.length > 0 ? {cleaned} : {}),
	};
}
