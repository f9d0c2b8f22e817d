import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {aemJvm} from '../backup/methods/aem-jvm.js';
import {isOwnerAlive} from '../platform/owner.js';
import {isInsideOrEqual} from '../platform/paths.js';
import {removeTree} from '../walk/remove-tree.js';
import {claimPath, readClaim, type DrillClaim} from './records.js';

/** The scratch folder's name: a hidden folder beside the backups, never an install's or a backup's name. */
export const SCRATCH_NAME = /^\.crx-backup-drill-[0-9a-f]{12}$/;

/** How long a killed drill's AEM gets to stop on SIGTERM before it is killed: its data is thrown away anyway. */
const STOP_GRACE_MS = 10_000;

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/**
 * The processes that are provably the drill's: owned by the uid its claim names and working inside its scratch
 * folder (/proc/PID/cwd). AEM's bin/start changes to the install folder before it starts java, so its JVM and
 * every child it starts work there; the live AEM works in the live install, never in a scratch folder.
 */
export function drillProcesses(scratch: string, uid: number, anyUser = false): number[] {
	const found: number[] = [];
	for (const name of fs.readdirSync('/proc')) {
		const pid = Number(name);
		if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) continue;
		try {
			if (!anyUser && uidOf(pid) !== uid) continue;
			if (isInsideOrEqual(scratch, fs.readlinkSync(`/proc/${pid}/cwd`))) found.push(pid);
		} catch {
			// Gone meanwhile, or not ours to inspect: not proven to be the drill's.
		}
	}
	return found;
}

/** Stops the drill's processes: SIGTERM, then SIGKILL for those still there after the grace; true once none is left. */
export async function stopDrillProcesses(scratch: string, uid: number): Promise<boolean> {
	const signal = (name: NodeJS.Signals) => {
		for (const pid of drillProcesses(scratch, uid)) {
			try {
				process.kill(pid, name);
			} catch {}
		}
	};
	signal('SIGTERM');
	const deadline = Date.now() + STOP_GRACE_MS;
	while (drillProcesses(scratch, uid).length > 0 && Date.now() < deadline) await sleep(100);
	signal('SIGKILL');
	for (let wait = 0; wait < 100 && drillProcesses(scratch, uid).length > 0; wait++) await sleep(100);
	return drillProcesses(scratch, uid).length === 0;
}

/**
 * What a drill killed with SIGKILL left: its AEM (stopped) and its scratch folder (removed), each only when
 * provably the drill's: the claim in this user's state folder was written before the folder was made, names a
 * process that is gone, and a scratch folder by its own pattern; a process counts only when drillProcesses says
 * so, and the live install's JVM never does. A folder something else still works in is left, and said.
 * Returns one sentence per thing done or left.
 */
export async function cleanDrillLeftovers(quickstart: string): Promise<string[]> {
	const claim = readClaim(quickstart);
	if (!claim || isOwnerAlive(claim)) return [];
	const done: string[] = [];
	const scratch = claim.scratch;
	if (!path.isAbsolute(scratch) || !SCRATCH_NAME.test(path.basename(scratch)) || isInsideOrEqual(scratch, quickstart) || isInsideOrEqual(path.dirname(quickstart), scratch)) {
		fs.rmSync(claimPath(quickstart), {force: true});
		return [`The record of a killed drill named ${JSON.stringify(scratch)}, not a drill's scratch folder: the record was removed, nothing else.`];
	}
	const live = aemJvm(quickstart)?.pid;
	const pids = drillProcesses(scratch, claim.uid).filter(pid => pid !== live);
	if (pids.length > 0) {
		const stopped = await stopDrillProcesses(scratch, claim.uid);
		done.push(stopped ? `Stopped the AEM a killed drill left running in ${scratch} (pid ${pids.join(', ')}).` : `The AEM a killed drill left in ${scratch} (pid ${pids.join(', ')}) did not stop.`);
	}
	const others = drillProcesses(scratch, claim.uid, true);
	if (others.length > 0) return [...done, `${scratch} was left: processes still work in it (pid ${others.join(', ')}).`];
	const stat = fs.lstatSync(scratch, {throwIfNoEntry: false});
	if (stat?.isDirectory()) {
		await removeTree(scratch);
		done.push(`Removed the scratch folder ${scratch} a killed drill left.`);
	}
	fs.rmSync(claimPath(quickstart), {force: true});
	return done;
}

/** Removes this drill's own claim once its scratch folder is gone (or kept on purpose). */
export function dropClaim(claim: DrillClaim): void {
	const current = readClaim(claim.repository);
	if (current?.pid === claim.pid && current.startedAt === claim.startedAt) fs.rmSync(claimPath(claim.repository), {force: true});
}
