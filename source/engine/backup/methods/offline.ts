import fs from 'node:fs';
import path from 'node:path';
import {failure, usageError} from '../../errors.js';
import type {Freezer} from '../freezer.js';
import {aemRunning, waitUntilDown} from './aem-process.js';
import {aemEnv} from '../../child-env.js';
import {runCommand} from './run-command.js';
import type {CopySource} from './copy-source.js';
import {planSnapshot, takeSnapshot, type SnapshotPlan, type TakenSnapshot} from './snapshot.js';

export interface OfflinePlan {
	stopCmd: string;
	startCmd: string;
	stopTimeoutMs: number;
	/** False: AEM was already down and --force says back it up as it is (nothing stopped, nothing started). */
	running: boolean;
	snapshot?: SnapshotPlan;
}

const shQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
/** Nothing to block: AEM is down while the snapshot is made. */
const stillRepository: Freezer = {blocks: false, thawFailed: undefined, freeze: async () => undefined, thaw: async () => undefined};

export interface OfflineSettings {
	stopCmd?: string;
	startCmd?: string;
	stopTimeoutMs: number;
	force?: boolean;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
}

/**
 * Checked before anything is written. A backup must never start an AEM an
 * operator stopped on purpose: with AEM already down it is refused unless
 * --force, and then nothing is stopped or started.
 */
export async function planOffline(quickstart: string, settings: OfflineSettings): Promise<OfflinePlan> {
	const script = (name: string, given: string | undefined) => {
		if (given) return given;
		const file = path.join(quickstart, 'bin', name);
		if (!fs.existsSync(file)) throw usageError(`There is no ${file} to ${name} AEM with: pass --${name}-cmd.`);
		return shQuote(file);
	};
	const running = aemRunning(quickstart);
	if (!running && !settings.force) throw usageError(`AEM is not running on ${quickstart}, so there is nothing to stop: pass --force to back up the stopped repository without starting it.`);
	const stopCmd = script('stop', settings.stopCmd);
	const startCmd = script('start', settings.startCmd);
	const snapshot = await planSnapshot(quickstart, settings).catch(() => undefined); // No snapshot: AEM stays down for the copy.
	return {stopCmd, startCmd, stopTimeoutMs: settings.stopTimeoutMs, running, snapshot};
}

/**
 * Stop AEM, wait until it is really down (cq.pid's process gone, repo.lock
 * free), then copy; with a snapshot AEM starts again right after it. Once the
 * stop command ran, the start command always runs (finish(), on success,
 * failure and cancel), except when AEM did not stop in time: then the backup
 * aborts and starts nothing new beside an AEM that may still be stopping.
 */
export async function openOffline(plan: OfflinePlan, quickstart: string, env: Record<string, string>, warn: (message: string) => void, signal?: AbortSignal): Promise<CopySource> {
	const report: CopySource['report'] = {method: 'offline', downtimeMs: 0};
	if (!plan.running) return {source: quickstart, onePass: true, report, writesBlockedMs: () => 0, finish: async () => undefined};
	const stoppedAt = Date.now();
	let mustStart = true;
	let startFailed: string | undefined;
	let snapshot: TakenSnapshot | undefined;
	const start = async () => {
		if (!mustStart) return;
		mustStart = false;
		const result = await runCommand(plan.startCmd, undefined, {env: {...aemEnv(), ...env}, timeoutMs: plan.stopTimeoutMs, what: 'start command'});
		report.downtimeMs = Date.now() - stoppedAt;
		if (!result.ok) startFailed = `${result.reason} AEM is down: start it by hand.`;
	};
	try {
		const stop = await runCommand(plan.stopCmd, undefined, {env: {...aemEnv(), ...env}, timeoutMs: plan.stopTimeoutMs, what: 'stop command'});
		const stopTimedOut = !stop.ok && /did not finish/.test(stop.reason ?? '');
		if (!stopTimedOut && !stop.ok) throw failure(`${stop.reason} The backup was aborted.`);
		if (stopTimedOut || !(await waitUntilDown(quickstart, stoppedAt + plan.stopTimeoutMs, signal))) {
			mustStart = false;
			throw failure(`AEM did not stop within ${Math.round(plan.stopTimeoutMs / 1000)} s: the backup was aborted and AEM was not started again (it may still be stopping).`);
		}
		if (plan.snapshot) {
			({snapshot} = await takeSnapshot(plan.snapshot, stillRepository, quickstart, env, plan.stopTimeoutMs, warn));
			report.snapshot = snapshot.report;
			await start();
			if (startFailed) throw failure(startFailed);
		}
	} catch (error) {
		await start();
		await snapshot?.release();
		throw error;
	}
	return {
		source: snapshot?.quickstart ?? quickstart, onePass: true, report,
		// AEM down: nobody can write. The copy's own downtime (no snapshot) is known once the start ran.
		writesBlockedMs: () => report.downtimeMs ?? 0,
		finish: async () => {
			await snapshot?.release();
			await start();
			return startFailed;
		},
	};
}
