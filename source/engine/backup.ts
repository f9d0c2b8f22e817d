import fs from 'node:fs';
import path from 'node:path';
import {overallPercent} from './bands.js';
import {CrxError, describeFsError, failure, throwIfAborted} from './errors.js';
import {normalizeExcludes} from './excludes.js';
import {runHook} from './freeze.js';
import {acquireLock} from './lock.js';
import {readManifestFile} from './manifest.js';
import {Mirror, type PreviousFile} from './mirror.js';
import {IN_PROGRESS_MARKER, QUICKSTART} from './paths.js';
import {scanTree, type ScanResult} from './scan.js';
import {prepareDirectory, prepareStaging, type WorkArea} from './targets.js';
import {estimateDelaySeconds, Throttle} from './throttle.js';
import type {BackupEvent, BackupOptions, BackupSummary, ManifestHeader, Phase, StageNumber, StageSummary, Step} from './types.js';
import {orderedPaths, writeManifest} from './write-manifest.js';
import {toolVersion} from './version.js';

const DATASTORE = 'repository/datastore';
const day = 24 * 60 * 60 * 1000;

/**
 * AEM's online backup: four converging copy stages (the last with repository
 * writes blocked by the freeze command), then, for a zip, zipping the staging
 * folder. Nothing is ever written into the source; nothing half-written ever
 * looks complete.
 */
export async function runBackup(options: BackupOptions): Promise<BackupSummary> {
	const {repository, target, signal} = options;
	const emit = (event: BackupEvent) => options.onEvent?.(event);
	const exclude = normalizeExcludes(options.exclude);
	const lock = await acquireLock(repository.quickstart, target.path);
	let area: WorkArea | undefined;
	let frozen = false;
	let thawFailed: string | undefined;
	const warnings = new Set<string>();
	const startedAt = new Date();
	const hookEnv = {repo: repository.quickstart, target: target.path};
	const thaw = async () => {
		if (!frozen) return;
		frozen = false;
		const result = await runHook(options.thawCmd ?? 'true', hookEnv, options.freezeTimeoutMs ?? 60_000, 'thaw');
		emit({type: 'thaw', command: options.thawCmd ?? '', ok: result.ok});
		if (!result.ok) thawFailed = `${result.reason} Repository writes may still be blocked: unblock them by hand.`;
	};
	try {
		// Stage 1 copies from these; they are dropped after it, so later stages hold one scan at a time.
		let scanA: ScanResult | undefined = await scanTree(repository.quickstart, {exclude, skip: [DATASTORE], signal});
		let scanB: ScanResult | undefined = await scanTree(repository.quickstart, {exclude, only: DATASTORE, signal});
		throwIfAborted(signal);
		const repositoryBytes = scanA.bytes + scanB.bytes;
		emit({
			type: 'start', source: repository.quickstart, target: target.path, kind: target.kind, repositoryBytes,
			repositoryFiles: scanA.files + scanB.files, delayMs: options.delayMs,
			estimatedDelayMs: estimateDelaySeconds(repositoryBytes, options.delayMs, target.kind) * 1000,
			writesBlocked: Boolean(options.freezeCmd),
		});
		if (!options.freezeCmd) warn(warnings, emit, 'No --freeze-cmd: stage 4 runs with repository writes unblocked, so the backup may not be consistent.');

		area = target.kind === 'zip' ? await prepareStaging(target, repository.quickstart) : await prepareDirectory(target, repository.quickstart);
		const previous = area.previousManifest ? await loadPrevious(area.previousManifest) : undefined;
		const mirror = await Mirror.open(repository.quickstart, path.join(area.root, QUICKSTART), previous);
		const rootStat = await fs.promises.stat(repository.quickstart);
		const throttle = Throttle.forBackup(options.delayMs, target.kind, repositoryBytes, signal);
		const stages: StageSummary[] = [];
		let writesBlockedMs = 0;

		for (const stage of [1, 2, 3, 4] as StageNumber[]) {
			let blockedAt = 0;
			if (stage === 4 && options.freezeCmd) {
				frozen = true; // It ran, whatever it returns: the thaw command will run.
				emit({type: 'freeze', command: options.freezeCmd});
				blockedAt = Date.now();
				const result = await runHook(options.freezeCmd, hookEnv, options.freezeTimeoutMs ?? 60_000, 'freeze');
				if (!result.ok) throw failure(`${result.reason} The backup was aborted.`);
			}
			const stageStarted = Date.now();
			const seen = new Set<string>(['']);
			mirror.dirs.set('', {mode: rootStat.mode, mtimeMs: rootStat.mtimeMs});
			let files = 0;
			let bytes = 0;
			const weightA = stage === 1 && repositoryBytes > 0 ? scanA!.bytes / repositoryBytes : 0.5;
			for (const phase of ['A', 'B'] as Phase[]) {
				const scan = stage === 1 ? (phase === 'A' ? scanA! : scanB!)
					: await scanTree(repository.quickstart, phase === 'A' ? {exclude, skip: [DATASTORE], signal} : {exclude, only: DATASTORE, signal});
				throwIfAborted(signal);
				for (const entry of scan.entries) seen.add(entry.rel);
				for (const message of scan.warnings) warn(warnings, emit, message);
				const step: Step = {stage, phase};
				const [before, weight] = phase === 'A' ? [0, weightA] : [weightA, 1 - weightA];
				const result = await runPhase(mirror, scan, step, target.kind, before, weight, stage <= 2 ? throttle : undefined, signal, emit);
				files += result.files;
				bytes += result.bytes;
			}
			if (stage === 1) scanA = scanB = undefined;
			if (stage <= 2) await throttle.settle();
			const deleted = await mirror.prune(seen);
			if (stage === 4) {
				await thaw();
				if (blockedAt) writesBlockedMs = Date.now() - blockedAt;
			}
			stages.push({stage, files, bytes, deleted, durationMs: Date.now() - stageStarted});
		}

		const paths = orderedPaths(mirror);
		let filesTotal = 0;
		let bytesTotal = 0;
		for (const file of mirror.captured.values()) {
			filesTotal++;
			bytesTotal += file.size;
		}
		const summary: BackupSummary = {
			target: target.path, kind: target.kind, source: repository.quickstart, files: filesTotal, bytes: bytesTotal,
			startedAt: startedAt.toISOString(), finishedAt: '', durationMs: 0, writesBlockedMs, writesBlocked: Boolean(options.freezeCmd),
			delayMs: options.delayMs, throttledMs: Math.round(throttle.sleptMs), stages, over24h: false, warnings: [...warnings],
		};
		const header = (): ManifestHeader => ({
			format: 'crx-backup-manifest', formatVersion: 1, tool: 'crx-backup', toolVersion, source: repository.quickstart, kind: target.kind,
			startedAt: summary.startedAt, finishedAt: new Date().toISOString(), durationMs: Date.now() - startedAt.getTime(),
			writesBlocked: summary.writesBlocked, writesBlockedMs, delayMs: options.delayMs, stages, exclude, files: filesTotal, bytes: bytesTotal,
			over24h: Date.now() - startedAt.getTime() > day,
		});
		await writeManifest(area.root, header(), mirror, paths);
		if (target.kind === 'zip') {
			const zipStarted = Date.now();
			const step: Step = {stage: 'zip'};
			emit({type: 'step-start', step});
			const {zipStaging} = await import('./zip-step.js'); // Directory backups never load the zip writer.
			summary.zipBytes = await zipStaging({
				stagingRoot: area.root, partialZip: area.partialZip!, mirror, paths, signal,
				onProgress: (done, total, filesDone, filesAll, file) => emit({type: 'progress', step, percent: overallPercent('zip', step, done / total), bytesDone: done, bytesTotal: total, filesDone, filesTotal: filesAll, file}),
			});
			await fs.promises.rename(area.partialZip!, target.path);
			await syncDir(path.dirname(target.path));
			await fs.promises.rm(area.root, {recursive: true, force: true});
			summary.zipDurationMs = Date.now() - zipStarted;
			emit({type: 'step-end', step, files: filesTotal, bytes: bytesTotal, deleted: 0, durationMs: summary.zipDurationMs});
		} else {
			if (area.previousManifest) await fs.promises.rm(area.previousManifest, {force: true});
			await syncDir(area.root);
			await fs.promises.rm(path.join(area.root, IN_PROGRESS_MARKER));
		}
		const finished = new Date();
		summary.finishedAt = finished.toISOString();
		summary.durationMs = finished.getTime() - startedAt.getTime();
		summary.over24h = summary.durationMs > day;
		if (summary.over24h) summary.warnings.push('The backup ran longer than 24 hours: discard it, it may not contain all binaries.');
		if (thawFailed) throw failure(thawFailed);
		emit({type: 'done', summary});
		return summary;
	} catch (error) {
		await thaw().catch(() => undefined);
		if (area && target.kind === 'zip') await removeZipLeftovers(area);
		if (thawFailed && !(error instanceof CrxError && error.kind === 'cancelled')) throw failure(thawFailed);
		if (error instanceof CrxError) throw error;
		if ((error as Error)?.name === 'AbortError' || signal?.aborted) throw new CrxError('cancelled', 'The backup was cancelled.');
		throw failure(describeFsError(error, 'backing up'), error);
	} finally {
		await lock.release();
	}
}

async function runPhase(
	mirror: Mirror, scan: ScanResult, step: Step & {stage: StageNumber}, kind: BackupOptions['target']['kind'], before: number, weight: number,
	throttle: Throttle | undefined, signal: AbortSignal | undefined, emit: (event: BackupEvent) => void,
) {
	const started = Date.now();
	emit({type: 'step-start', step});
	let planned = {files: 0, bytes: 0};
	let lastEmit = 0;
	const result = await mirror.phase(scan.entries, {
		throttle, signal,
		onPlan: (files, bytes) => {
			planned = {files, bytes};
		},
		onProgress: (bytesDone, filesDone, file) => {
			const now = Date.now();
			if (now - lastEmit < 20 && filesDone < planned.files) return; // Events are cheap, but not free: ~50 a second is plenty for a 10 Hz view.
			lastEmit = now;
			const fraction = planned.bytes > 0 ? bytesDone / planned.bytes : (planned.files > 0 ? filesDone / planned.files : 1);
			emit({type: 'progress', step, percent: overallPercent(kind, step, before + weight * fraction), bytesDone, bytesTotal: planned.bytes, filesDone, filesTotal: planned.files, file});
		},
	});
	emit({type: 'progress', step, percent: overallPercent(kind, step, before + weight), bytesDone: result.bytes, bytesTotal: planned.bytes, filesDone: result.files, filesTotal: planned.files});
	emit({type: 'step-end', step, files: result.files, bytes: result.bytes, deleted: 0, durationMs: Date.now() - started});
	return result;
}

function warn(warnings: Set<string>, emit: (event: BackupEvent) => void, message: string): void {
	if (warnings.has(message)) return;
	warnings.add(message);
	emit({type: 'warning', message});
}

async function loadPrevious(file: string): Promise<Map<string, PreviousFile>> {
	const previous = new Map<string, PreviousFile>();
	const prefix = `${QUICKSTART}/`;
	try {
		await readManifestFile(file, entry => {
			if (entry.type === 'file' && entry.path.startsWith(prefix)) {
				previous.set(entry.path.slice(prefix.length), {size: entry.size, mtimeMs: entry.mtimeMs, crc32: Number.parseInt(entry.crc32, 16)});
			}
		});
	} catch {
		previous.clear(); // A damaged manifest only costs a full copy.
	}
	return previous;
}

async function removeZipLeftovers(area: WorkArea): Promise<void> {
	if (area.partialZip) await fs.promises.rm(area.partialZip, {force: true}).catch(() => undefined);
	await fs.promises.rm(area.root, {recursive: true, force: true}).catch(() => undefined);
}

async function syncDir(dir: string): Promise<void> {
	const handle = await fs.promises.open(dir, 'r');
	try {
		await handle.sync();
	} catch {
		// Some file systems cannot fsync a folder; the rename is still atomic.
	} finally {
		await handle.close();
	}
}
