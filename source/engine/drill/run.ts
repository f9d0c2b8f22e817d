import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {aemCredentials} from '../aem/credentials.js';
import {aemJvm, jvmAlive, type AemJvm} from '../backup/methods/aem-jvm.js';
import {scriptUser} from '../backup/methods/aem-user.js';
import {list, resolveBackup} from '../catalog/list.js';
import {clockNow} from '../platform/clock.js';
import {cancelled, CrxError, usageError} from '../platform/errors.js';
import {isOwnerAlive} from '../platform/owner.js';
import {QUICKSTART} from '../platform/paths.js';
import {restore} from '../restore/run.js';
import {listening, scriptPort} from '../restore/start-advice.js';
import type {BackupRecord, DrillEvent, DrillOptions, DrillStep, DrillSummary} from '../types.js';
import {verify} from '../verify/run.js';
import {chooseIsolation, freePort, namespacePrefix} from './isolation.js';
import {cleanDrillLeftovers, dropClaim} from './leftovers.js';
import {drillPids} from './listener.js';
import {probe, type ProbeResult} from './probe.js';
import {readClaim, recordDrill, writeClaim} from './records.js';
import {giveTree, scratchFolder} from './scratch.js';
import {startDrillAem, stopAndClean} from './start.js';

/**
 * A restore drill: the newest complete backup (or the one named) is verified, restored into a scratch folder
 * beside it, started there on a port of its own as the live install's owner, in a network namespace of its own
 * (isolation.ts), and waited for until it is ready (probe.ts); then stopped, its JVM waited for, and the folder
 * removed unless kept. The live install is only ever read (its owner, its bin/start's port, its JVM to leave
 * alone). Refusals throw a usage CrxError before anything is written; a drill that ran returns its summary,
 * ok or not, and records it in the state folder; a cancel stops the drill's AEM, cleans up and throws.
 */
export async function drill(options: DrillOptions): Promise<DrillSummary> {
	const {repository, signal} = options;
	const quickstart = repository.quickstart;
	const emit = (event: DrillEvent) => options.onEvent?.(event);
	const startedAt = clockNow();
	const stepStart: Partial<Record<DrillStep, number>> = {};
	const begin = (step: DrillStep) => {
		stepStart[step] = Date.now();
		emit({type: 'step-start', step});
	};
	const end = (step: DrillStep, counts: {files?: number; bytes?: number} = {}) => {
		const durationMs = Date.now() - (stepStart[step] ?? Date.now());
		emit({type: 'step-end', step, durationMs, ...counts});
		return durationMs;
	};

	if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)) throw usageError(`--port must be a TCP port from 1 to 65535, not ${options.port}.`);
	const isolation = chooseIsolation(options.allowNetwork);
	begin('cleanup');
	const cleaned = await cleanDrillLeftovers(quickstart);
	for (const message of cleaned) emit({type: 'warning', message});
	end('cleanup');
	const running = readClaim(quickstart);
	if (running && isOwnerAlive(running)) throw usageError(`A drill of ${quickstart} is running (pid ${running.pid}, in ${running.scratch}): wait for it to finish.`);

	const record = await chooseBackup(options);
	const livePort = scriptPort(quickstart);
	const port = options.port ?? await freePort();
	if (port === livePort) throw usageError(`Port ${port} is the live AEM's (its bin/start's CQ_PORT): pass another --port.`);
	if (await listening(port)) throw usageError(`Port ${port} is in use: pass a free --port.`);
	const url = new URL(`http://127.0.0.1:${port}`);
	const login = aemCredentials(url, options.aemUser);
	for (const message of login.warnings) emit({type: 'warning', message});
	const authorization = `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`;
	const scratch = scratchFolder(repository, record.path);
	const liveStat = fs.statSync(quickstart);
	const asRoot = process.geteuid?.() === 0;
	const uid = asRoot ? liveStat.uid : process.geteuid?.() ?? liveStat.uid;
	const claim = writeClaim({repository: quickstart, scratch, uid, port});
	if (!claim) throw usageError(`A drill of ${quickstart} has just started: wait for it to finish.`);
	// The copy goes into a folder only this drill can enter (0700, made here, so provably its own): nobody else can
	// read production's data in it, squat the restore's names in it, or swap a folder in it while it is given away.
	try {
		fs.mkdirSync(scratch, {mode: 0o700});
	} catch (error) {
		dropClaim(claim);
		throw usageError(`The drill could not make its folder ${scratch}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
	}
	const restored = path.join(scratch, 'aem');

	const figures = {verifyMs: 0, restoreMs: 0, startMs: 0, rtoMs: 0};
	const finish = (result: DrillSummary['result'], sentence: string, kept: boolean): DrillSummary => {
		figures.rtoMs = figures.verifyMs + figures.restoreMs + figures.startMs;
		const summary: DrillSummary = {
			result, ok: result === 'up', sentence, repository: quickstart,
			backup: {path: record.path, name: record.name, created: record.created},
			backupAgeMs: Math.max(0, startedAt.getTime() - Date.parse(record.created)),
			scratch, restored, kept, port, isolation, uid, figures, startedAt: startedAt.toISOString(), finishedAt: clockNow().toISOString(), cleaned,
		};
		recordDrill(summary);
		// The operation's last event, as every operation's: progress views mark the last step done on it.
		emit({type: 'done', summary});
		return summary;
	};
	let jvm: AemJvm | undefined;
	let owner: ReturnType<typeof scriptUser> = {};
	const scratchQuickstart = path.join(restored, QUICKSTART);
	type Outcome = {result: DrillSummary['result']; sentence: string};
	const steps = async (): Promise<Outcome> => {
		begin('verify');
		const verified = await verify(record, {signal, onEvent: event => event.type === 'progress' && emit(event)});
		figures.verifyMs = end('verify', {files: verified.files, bytes: verified.bytes});
		if (!verified.ok) {
			const first = verified.problems[0];
			return {result: 'verify-failed', sentence: `${record.path} failed verification (${verified.problems.length} problem${verified.problems.length === 1 ? '' : 's'}${first ? `, first: ${first.path}: ${first.problem}` : ''}): it would not restore.`};
		}
		begin('restore');
		try {
			const copied = await restore({backup: record, to: restored, signal, onEvent: event => event.type === 'progress' && emit({...event, step: 'restore'})});
			figures.restoreMs = end('restore', {files: copied.files, bytes: copied.bytes});
		} catch (error) {
			if (signal?.aborted || (error instanceof CrxError && error.kind !== 'failed')) throw error;
			figures.restoreMs = end('restore');
			return {result: 'restore-failed', sentence: `Restoring ${record.path} failed: ${(error as Error).message}`};
		}
		if (asRoot && uid !== 0) {
			// Inside, then the folder itself last: until then only root can enter it, so the walk by name is safe.
			giveTree(restored, uid, liveStat.gid);
			fs.lchownSync(scratch, uid, liveStat.gid);
		}
		owner = scriptUser(quickstart, [path.join(scratchQuickstart, 'bin/start'), path.join(scratchQuickstart, 'bin/stop')]);
		begin('start');
		const started = Date.now();
		const deadline = started + options.startTimeoutMs;
		const failed = await startDrillAem(scratchQuickstart, {as: owner.as, user: owner.user, port, prefix: isolation === 'namespace' ? namespacePrefix() : undefined, timeoutMs: options.startTimeoutMs});
		jvm = aemJvm(scratchQuickstart);
		end('start');
		if (failed || !jvm) {
			figures.startMs = Date.now() - started;
			return {result: 'not-up', sentence: `AEM restored from ${record.name} did not start: ${failed ?? 'conf/cq.pid names no java process.'}`};
		}
		begin('ready');
		const last = await waitReady(port, authorization, isolation === 'namespace' ? jvm.pid : undefined, jvm, deadline, emit, signal, isolation === 'namespace' ? undefined : drillPids.bind(undefined, scratch, uid, jvm.pid));
		figures.startMs = Date.now() - started;
		end('ready');
		if (last.foreign) return {result: 'not-up', sentence: `AEM restored from ${record.name} was not probed: ${last.message}.`};
		return last.ready
			? {result: 'up', sentence: `AEM restored from ${record.name} came up on port ${port} in ${seconds(figures.startMs)} (${last.message}).`}
			: {result: 'not-up', sentence: `AEM restored from ${record.name} was not ready within ${seconds(options.startTimeoutMs)}${jvmAlive(jvm) ? '' : ' (its JVM exited)'}: ${last.message}.`};
	};
	let outcome: Outcome | undefined;
	let thrown: unknown;
	try {
		outcome = await steps();
	} catch (error) {
		thrown = error;
	}
	// Whatever happened, the drill's AEM is stopped and its folder removed before the drill says anything.
	const left = await stopAndClean(scratch, scratchQuickstart, jvm, uid, Boolean(options.keep) && !signal?.aborted, {...owner, port, namespace: isolation === 'namespace'}, begin, end, emit);
	if (left !== 'left') dropClaim(claim);
	if (signal?.aborted) throw cancelled(`Drill cancelled; its AEM was stopped and ${left === 'removed' ? 'its scratch folder removed' : `${scratch} left for the next drill to remove`}.`);
	if (!outcome) throw thrown;
	return finish(outcome.result, outcome.sentence, left !== 'removed');
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function chooseBackup(options: DrillOptions): Promise<BackupRecord> {
	const {repository} = options;
	if (options.backup !== undefined) {
		const record = await resolveBackup(options.backup, {repository, dirs: options.dirs});
		if (record.status !== 'complete' || record.leftover) throw usageError(`${record.path} is not a complete backup (${record.problem ?? record.status}): name a complete one.`);
		return record;
	}
	const records = await list({repository, dirs: options.dirs});
	const newest = records.find(record => record.status === 'complete' && record.ours && record.manifest?.source === repository.quickstart);
	if (!newest) throw usageError(`There is no complete backup of ${repository.quickstart} to drill in ${repository.backupDir}: make one first, or name one.`);
	return newest;
}

/** Probes until ready, the deadline, the JVM's exit or a cancel; the last probe's answer. */
async function waitReady(port: number, authorization: string, namespacePid: number | undefined, jvm: AemJvm, deadline: number, emit: (event: DrillEvent) => void, signal?: AbortSignal, pids?: () => number[]): Promise<ProbeResult> {
	let last: ProbeResult = {type: 'probe', ready: false, message: 'not probed yet'};
	let said = '';
	for (;;) {
		if (signal?.aborted) return last;
		if (!jvmAlive(jvm)) return last;
		last = await probe(port, authorization, namespacePid, pids);
		const {ready: _ready, foreign: _foreign, ...event} = last;
		if (last.message !== said) emit(event);
		said = last.message;
		if (last.ready || last.foreign || Date.now() >= deadline) return last;
		await sleep(Math.min(500, Math.max(1, deadline - Date.now())));
	}
}
