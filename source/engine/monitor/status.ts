import path from 'node:path';
import {freeBytes} from '../backup/space.js';
import {list} from '../catalog/list.js';
import {clockNow} from '../platform/clock.js';
import {lockPath} from '../backup/lock.js';
import {isOwnerAlive, readOwner} from '../platform/owner.js';
import type {HealthStatus, LastRun, StatusOptions} from '../types.js';
import {readLastRun} from './last-run.js';
import {runningTarget} from './running.js';
import {drillHealth} from '../drill/health.js';



/**
 * Health at a glance, for a monitoring check and the TUI's Home: the newest
 * complete backup of this repository (its manifest names it as the source), its
 * age by the engine's clock, the last run's record and free space where the
 * backups go. A failed last run outranks a stale backup: it says why.
 */
export async function status(options: StatusOptions): Promise<HealthStatus> {
	const {repository, maxAgeMs} = options;
	const now = clockNow();
	const records = await list(options);
	// Only a backup crx-backup can prove it made counts: a copy, a planted zip or an AEM-made one says nothing about last night.
	const newest = records.find(record => record.status === 'complete' && record.ours && record.manifest?.source === repository.quickstart);
	const run = readLastRun(repository.quickstart);
	const lastRun = diedRun(repository.quickstart, run) ?? (run ? (({summary: _summary, ...rest}) => rest)(run) : undefined);
	const ageMs = newest ? Math.max(0, now.getTime() - Date.parse(newest.created)) : undefined;
	const state: HealthStatus['state'] = lastRun && lastRun.exitCode !== 0 ? 'failed'
		: !newest ? 'none' : ageMs! > maxAgeMs ? 'stale' : 'ok';
	const drill = await drillHealth(repository, options.maxDrillAgeMs);
	const where = lastRun?.target ? path.dirname(lastRun.target) : newest ? path.dirname(newest.path) : repository.backupDir;
	return {
		state, healthy: state === 'ok' && drill.fresh !== false, repository: repository.quickstart, checkedAt: now.toISOString(), maxAgeMs,
		...(newest ? {newest: {name: newest.name, path: newest.path, kind: newest.kind, created: newest.created, ageMs: ageMs!, bytes: newest.bytes}} : {}),
		...(lastRun ? {lastRun} : {}),
		running: runningTarget(repository.quickstart) !== undefined,
		free: {path: where, bytes: freeBytes(where)},
		drill,
	};
}

/**
 * A run that never recorded its outcome: killed (SIGKILL, the OOM killer) or cut off by a reboot, it
 * left the repository's lock naming it, dead, and no record newer than it. Without this, status said OK
 * (the night before's backup still fresh, the night before's record a success) after a night that died.
 * The lock lies in the state folder, private to this user, so nobody else can plant one.
 */
function diedRun(quickstart: string, run: LastRun | undefined): Omit<LastRun, 'summary'> | undefined {
	const owner = readOwner(lockPath(quickstart));
	if (!owner || typeof owner.startedAt !== 'string' || isOwnerAlive(owner)) return undefined;
	if (run && Date.parse(run.startedAt) >= Date.parse(owner.startedAt)) return undefined;
	return {
		repository: quickstart, target: typeof owner.target === 'string' ? owner.target : '', startedAt: owner.startedAt, finishedAt: owner.startedAt,
		exitCode: 1, outcome: 'failure', sentence: `the run started at ${owner.startedAt} stopped without finishing or recording its outcome (killed, or the machine went down)`,
	};
}
