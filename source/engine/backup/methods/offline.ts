import fs from 'node:fs';
import path from 'node:path';
import {failure, usageError} from '../../platform/errors.js';
import type {Freezer} from '../freezer.js';
import {aemDown, aemRunning, waitUntilDown} from './aem-process.js';
import {aemJvm} from './aem-jvm.js';
import {scriptUser} from './aem-user.js';
import {startAem, type AemCommand} from './start-aem.js';
import {aemEnv, type AemUser} from '../../platform/child-env.js';
import {runCommand} from './run-command.js';
import type {CopySource} from './copy-source.js';
import type {AemState} from '../../types.js';
import {planSnapshot, takeSnapshot, type SnapshotPlan, type TakenSnapshot} from './snapshot.js';

export interface OfflinePlan {
	stop: AemCommand;
	start: AemCommand;
	stopTimeoutMs: number;
	/** False: AEM was already down and --force says back it up as it is (nothing stopped, nothing started). */
	running: boolean;
	snapshot?: SnapshotPlan;
	/** The install's owner whose HOME and USER the scripts get (set when they run as that user). */
	user?: AemUser;
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
 * --force, and then nothing is stopped or started. AEM's own bin/stop and
 * bin/start run as the install's owner (aem-user.ts); --stop-cmd and
 * --start-cmd are the caller's own commands and run as the caller.
 */
export async function planOffline(quickstart: string, settings: OfflineSettings): Promise<OfflinePlan> {
	const scripts: string[] = [];
	const script = (name: string, given: string | undefined) => {
		if (given) return given;
		const file = path.join(quickstart, 'bin', name);
		if (!fs.existsSync(file)) throw usageError(`There is no ${file} to ${name} AEM with: pass --${name}-cmd.`);
		scripts.push(file);
		return shQuote(file);
	};
	const running = aemRunning(quickstart);
	if (!running && !settings.force) throw usageError(`AEM is not running on ${quickstart}, so there is nothing to stop: pass --force to back up the stopped repository without starting it.`);
	const stopCmd = script('stop', settings.stopCmd);
	const startCmd = script('start', settings.startCmd);
	const owner = scriptUser(quickstart, scripts);
	const as = (given: string | undefined) => (given ? {} : {as: owner.as});
	const snapshot = await planSnapshot(quickstart, settings).catch(() => undefined); // No snapshot: AEM stays down for the copy.
	return {
		stop: {command: stopCmd, ...as(settings.stopCmd)}, start: {command: startCmd, ...as(settings.startCmd)},
		stopTimeoutMs: settings.stopTimeoutMs, running, snapshot, user: owner.user,
	};
}

/**
 * Stop AEM, wait until it is really down (the JVM cq.pid named before the stop
 * has exited, repo.lock free), then copy; with a snapshot AEM starts again right
 * after it, without one as soon as the copy is staged (resume(), before a zip is
 * written). Once the stop command ran, the start command always runs (resume()
 * or finish(), on success, failure and cancel), but never beside an AEM that is
 * still running: when AEM did not stop in time the backup aborts and starts
 * nothing.
 */
export async function openOffline(plan: OfflinePlan, quickstart: string, env: Record<string, string>, warn: (message: string) => void, signal?: AbortSignal, onAem: (state: AemState) => void = () => undefined): Promise<CopySource> {
	const report: CopySource['report'] = {method: 'offline', downtimeMs: 0};
	if (!plan.running) return {source: quickstart, onePass: true, report, writesBlockedMs: () => 0, finish: async () => undefined};
	// Read before bin/stop, which removes cq.pid: the process to wait for.
	const jvm = aemJvm(quickstart);
	const stoppedAt = Date.now();
	const scriptEnv = {...aemEnv(plan.user), ...env};
	let mustStart = true;
	let startFailed: string | undefined;
	let snapshot: TakenSnapshot | undefined;
	const start = async () => {
		if (!mustStart) return startFailed;
		mustStart = false;
		// A cancel can come while AEM is still stopping: a second AEM must not start beside it.
		if (!(await waitUntilDown(quickstart, jvm, Date.now() + plan.stopTimeoutMs))) {
			startFailed = `AEM${jvm ? ` (pid ${jvm.pid})` : ''} was still stopping, so the backup did not start it again: start it once it is down.`;
			return startFailed;
		}
		onAem('starting');
		startFailed = await startAem(plan.start, quickstart, scriptEnv, plan.stopTimeoutMs, jvm);
		report.downtimeMs = Date.now() - stoppedAt;
		if (!startFailed) onAem('running');
		return startFailed;
	};
	try {
		onAem('stopping');
		const stop = await runCommand(plan.stop.command, undefined, {env: scriptEnv, as: plan.stop.as, cwd: path.dirname(quickstart), timeoutMs: plan.stopTimeoutMs, what: 'stop command'});
		const stopTimedOut = !stop.ok && /did not finish/.test(stop.reason ?? '');
		if (!stopTimedOut && !stop.ok) {
			// A stop that failed most likely stopped nothing: there is nothing to start, and no reason to wait.
			if (!aemDown(quickstart, jvm)) mustStart = false;
			throw failure(`${stop.reason} The backup was aborted${mustStart ? '' : '; AEM was not started again, check whether it still runs'}.`);
		}
		if (stopTimedOut || !(await waitUntilDown(quickstart, jvm, stoppedAt + plan.stopTimeoutMs, signal))) {
			mustStart = false;
			throw failure(`AEM did not stop within ${Math.round(plan.stopTimeoutMs / 1000)} s: the backup was aborted and AEM was not started again (it may still be stopping).`);
		}
		onAem('down');
		if (plan.snapshot) {
			({snapshot} = await takeSnapshot(plan.snapshot, stillRepository, quickstart, env, plan.stopTimeoutMs, warn));
			report.snapshot = snapshot.report;
			if (await start()) throw failure(startFailed!);
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
		resume: start,
		finish: async () => {
			await snapshot?.release();
			return start();
		},
	};
}
