import {lockPath} from '../backup/lock.js';
import {currentOwner, type OwnerInfo} from '../platform/owner.js';
import {createStateJson, readStateJson, writeStateJson} from '../platform/state-dir.js';
import type {DrillSummary} from '../types.js';

/**
 * A drill's claim on its scratch folder, written to the state folder (private to this user) before the folder
 * is made: what a later drill or `status` needs to prove a leftover folder and AEM are a killed drill's own.
 */
export interface DrillClaim extends OwnerInfo {
	repository: string;
	scratch: string;
	/** The uid the drill's AEM runs as: a process of any other user is never stopped as the drill's. */
	uid: number;
	port: number;
}

/** The last drill and the last good one, per repository. */
export interface DrillHistory {
	last?: DrillSummary;
	lastGood?: DrillSummary;
}

const beside = (quickstart: string, suffix: string) => lockPath(quickstart).replace(/\.lock$/, suffix);
export const claimPath = (quickstart: string) => beside(quickstart, '.drill.json');
export const historyPath = (quickstart: string) => beside(quickstart, '.drills.json');

/** Claims the repository's one drill: undefined when another drill holds the claim (two drills started at once: one wins). */
export function writeClaim(claim: Omit<DrillClaim, keyof OwnerInfo>): DrillClaim | undefined {
	const full = {...currentOwner({source: claim.repository, target: claim.scratch}), ...claim};
	return createStateJson(claimPath(claim.repository), full) ? full : undefined;
}

export function readClaim(quickstart: string): DrillClaim | undefined {
	const claim = readStateJson(claimPath(quickstart), 64 * 1024) as DrillClaim | undefined;
	const valid = claim && typeof claim === 'object' && typeof claim.scratch === 'string' && typeof claim.uid === 'number' && typeof claim.pid === 'number';
	return valid ? claim : undefined;
}

export function readHistory(quickstart: string): DrillHistory {
	const history = readStateJson(historyPath(quickstart)) as DrillHistory | undefined;
	const valid = (drill: DrillSummary | undefined) => drill && typeof drill === 'object' && typeof drill.finishedAt === 'string' && typeof drill.ok === 'boolean' ? drill : undefined;
	if (!history || typeof history !== 'object') return {};
	const last = valid(history.last);
	const lastGood = valid(history.lastGood);
	return {...(last ? {last} : {}), ...(lastGood?.ok ? {lastGood} : {})};
}

export function recordDrill(summary: DrillSummary): void {
	const previous = readHistory(summary.repository);
	writeStateJson(historyPath(summary.repository), {last: summary, lastGood: summary.ok ? summary : previous.lastGood});
}
