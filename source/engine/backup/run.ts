import fs from 'node:fs';
import path from 'node:path';
import {overallPercent} from '../bands.js';
import {CrxError, describeFsError, failure, throwIfAborted, usageError} from '../platform/errors.js';
import {normalizeExcludes} from './excludes.js';
import {chooseFreezer} from './choose-freezer.js';
import {defaultFreezeTimeoutMs} from '../option-rules.js';
import {listingCacheFile, saveListingCache, trustedCache} from './listing-cache.js';
import {acquireLock} from './lock.js';
import {IN_PROGRESS_MARKER, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {removeTree} from '../walk/remove-tree.js';
import {countTree} from './count.js';
import {countedEntries, listingName, runStages, scopes} from './stages.js';
import type {StateRecord} from '../walk/state-file.js';
import {prepareDirectory, prepareStaging, releaseMarker, type WorkArea} from './targets.js';
import {replaceRefusal} from './repository.js';
import {snapshotTarget} from '../walk/target-snapshot.js';
import {checkSpace} from './space.js';
import {estimateDelaySeconds, Throttle} from './throttle.js';
import type {BackupEvent, BackupOptions, BackupSummary, ManifestHeader, Phase, Step} from '../types.js';
import {HelperThread, worthTheHelper} from '../walk/helper-thread.js';
import {writeManifest} from '../manifest/write.js';
import {toolVersion} from '../platform/version.js';
import {clockNow} from '../platform/clock.js';
import {planTrees} from './trees.js';
import {externalExtra} from './external-phase.js';
import {resolveLinkDest} from './link-dest.js';
import {PreviousLinker} from './link-file.js';
import {readWrittenInodes, WrittenInodes} from './written-inodes.js';
import {openMethod, planMethod, type CopySource} from './methods/method.js';
import {maskCredentials} from './freeze-record.js';

const day = 24 * 60 * 60 * 1000;
/**
 * The smallest previous manifest (about 180 bytes an entry: some 12,000 entries)
 * whose target is walked on the helper thread; a smaller one is walked here, in
 * a fraction of a second, and a small repository never starts the thread.
 */
const minSnapshotManifestBytes = 2 * 1024 * 1024;

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
	const replacing = options.force ? undefined : replaceRefusal(target);
	if (replacing) throw usageError(replacing);
	const trees = planTrees(repository, target, options); // Reads only: a refusal here has written nothing.
	// First: an AEM that refuses (a GC running, a wrong password) leaves nothing written, not even the lock.
	const {freezer, warnings: freezerWarnings} = await chooseFreezer(options, {repo: repository.quickstart, target: target.path}, emit);
	const plan = await planMethod(options); // A method refused (exit 2) before the lock: nothing written.
	const lock = await acquireLock(repository.quickstart, target.path);
	let area: WorkArea | undefined;
	/** From stage 1 on, the target holds copies: a refusal can no longer put it back. */
	let copying = false;
	let stateDir: string | undefined;
	let snapshot: Promise<unknown> | undefined;
	const stopSnapshot = new AbortController();
	const helper = new HelperThread();
	const warnings = new Set<string>();
	const startedAt = clockNow();
	const hookEnv = {repo: repository.quickstart, target: target.path};
	let method: CopySource | undefined;
	let link: PreviousLinker | undefined;
	let written: WrittenInodes | undefined;
	try {
		const linkDest = await resolveLinkDest(options.linkDest, options.incremental ?? false, repository, target);
		area = target.kind === 'zip' ? await prepareStaging(target, repository.quickstart) : await prepareDirectory(target, repository.quickstart);
		stateDir = fs.mkdtempSync(path.join(area.root, '.crx-backup-state-'));
		method = await openMethod(plan, {
			quickstart: repository.quickstart, freezer, timeoutMs: options.freezeTimeoutMs ?? defaultFreezeTimeoutMs, signal,
			env: {CRX_BACKUP_REPO: hookEnv.repo, CRX_BACKUP_TARGET: hookEnv.target}, warn: message => warn(warnings, emit, message),
			onAem: state => emit({type: 'aem', state}),
		});
		// The copy reads the live tree (online) or a snapshot of it; the listing cache describes only the live tree.
		const source = method.source;
		const online = !method.onePass;
		// Counted before stage 1: the start event's sizes, the delay's budget and stage 1's progress come from it,
		// and stage 1 replays its walk (one walk of the whole tree fewer); its warnings follow the start event.
		const countWarnings: string[] = [];
		const dir = stateDir;
		const count = (phase: Phase) => countTree(source, {
			exclude, ...scopes[phase], signal, zipNames: target.kind === 'zip', onWarning: message => countWarnings.push(message),
			listingIn: online ? trustedCache(listingCacheFile(repository.quickstart, phase)) : undefined,
			listingOut: path.join(dir, listingName(1, phase)), entriesOut: path.join(dir, countedEntries(phase)), helper,
		});
		// A re-sync's stage 1 compares the source with what the target holds: a big target is walked on the helper
		// thread meanwhile (the count keeps this one busy), into a state file per phase.
		const targetDir = path.join(area.root, QUICKSTART);
		const snapshotFiles = hasPrevious(targetDir, area.previousManifest) || linkDest ? {A: path.join(dir, 'target-A.state'), B: path.join(dir, 'target-B.state')} : undefined;
		if (snapshotFiles) {
			snapshot = snapshotTarget({
				target: linkDest?.quickstart ?? targetDir, previousManifest: linkDest?.manifest ?? area.previousManifest,
				phases: (['A', 'B'] as Phase[]).map(phase => ({phase, scope: scopes[phase], file: snapshotFiles[phase]})),
			}, worthTheHelper(linkDest?.manifest ?? area.previousManifest, minSnapshotManifestBytes) ? helper : undefined, signal ? AbortSignal.any([signal, stopSnapshot.signal]) : stopSnapshot.signal);
			snapshot.catch(() => undefined); // Awaited below; a failed count must not leave it unhandled meanwhile.
		}
		const expected = {A: await count('A'), B: await count('B')};
		if (trees.external) {
			const external = await countTree(trees.external.source, {exclude: [], signal, zipNames: target.kind === 'zip', onWarning: message => countWarnings.push(message)});
			expected.B = {files: expected.B.files + external.files, bytes: expected.B.bytes + external.bytes};
		}
		await snapshot;
		throwIfAborted(signal);
		const repositoryBytes = expected.A.bytes + expected.B.bytes;
		// Checked once the count knows the size, before stage 1 copies anything; refused, the target is put back as it was.
		const space = await checkSpace(target, repositoryBytes, area.previousManifest, true);
		if (space.short && !options.force) throw usageError(space.short);
		emit({
			type: 'start', source: repository.quickstart, target: target.path, kind: target.kind, repositoryBytes,
			repositoryFiles: expected.A.files + expected.B.files, delayMs: options.delayMs,
			estimatedDelayMs: estimateDelaySeconds(repositoryBytes, options.delayMs, target.kind) * 1000,
			writesBlocked: freezer.blocks || method.report.method === 'offline',
		});
		for (const message of freezerWarnings) warn(warnings, emit, message);
		if (plan.method === 'snapshot' && !freezer.blocks) warn(warnings, emit, 'No --freeze-cmd: the snapshot was taken with repository writes unblocked, as a power cut would leave it.');
		if (online && !freezer.blocks) warn(warnings, emit, 'No --freeze-cmd: stage 4 runs with repository writes unblocked, so the backup may not be consistent.');
		for (const message of [...trees.warnings, ...countWarnings]) warn(warnings, emit, message);

		copying = true;
		const rootStat = fs.statSync(source);
		// Links go to the previous backup's files, never to the live source's (its device, not a snapshot's).
		// A directory backup records the inodes it writes: the next night's --link-dest trusts its CRCs by them.
		written = target.kind === 'directory' ? new WrittenInodes() : undefined;
		const proven = linkDest ? readWrittenInodes(repository.quickstart, linkDest.root, linkDest.dev, linkDest.manifest) : undefined;
		link = linkDest ? new PreviousLinker(linkDest, fs.statSync(repository.quickstart).dev, proven, written) : undefined;
		const throttle = Throttle.forBackup(options.delayMs, target.kind, repositoryBytes, signal);
		const result = await runStages({
			source, onePass: method.onePass, root: area.root, stateDir, kind: target.kind, exclude, expected, previousTarget: snapshotFiles,
			throttle, signal, emit, warn: message => warn(warnings, emit, message), link, written,
			freeze: () => freezer.freeze(),
			thaw: () => freezer.thaw(),
			helper, external: trees.external,
		});
		await helper.close();
		link?.close();
		// The consistent copy is staged: an offline AEM starts again now, not after the zip is written.
		const resumeFailed = await method.resume?.();
		const {stateFiles} = result;
		if (link?.refused) warn(warnings, emit, `${link.refused} files of ${linkDest!.root} were not what its manifest says: they were copied, not linked.`);
		const {stages} = result;
		const writesBlockedMs = method.writesBlockedMs() ?? (freezer.blocks ? result.writesBlockedMs : 0);
		// Blocked means what blocks writes said so (AEM's answer is checked: see aem/freezer.ts), or AEM was down.
		const unconfirmed = method.report.method === 'offline' ? undefined : freezer.unconfirmed;
		if (unconfirmed) warn(warnings, emit, unconfirmed);
		const writesBlocked = (freezer.blocks && !unconfirmed) || method.report.method === 'offline';
		const summary: BackupSummary = {
			target: target.path, kind: target.kind, source: repository.quickstart, files: result.files, bytes: result.bytes,
			startedAt: startedAt.toISOString(), finishedAt: '', durationMs: 0, writesBlockedMs,
			writesBlocked, delayMs: options.delayMs, throttledMs: Math.round(throttle.sleptMs), stages, over24h: false,
			warnings: [...warnings], ...method.report, ...(unconfirmed ? {writesBlockingNotConfirmed: unconfirmed} : {}),
		};
		const header: ManifestHeader = {
			format: 'crx-backup-manifest', formatVersion: 1, tool: 'crx-backup', toolVersion, source: repository.quickstart, kind: target.kind,
			startedAt: summary.startedAt, finishedAt: clockNow().toISOString(), durationMs: clockNow().getTime() - startedAt.getTime(),
			writesBlocked: summary.writesBlocked, writesBlockedMs: summary.writesBlockedMs, ...(unconfirmed ? {writesBlockingNotConfirmed: unconfirmed} : {}),
			delayMs: options.delayMs, stages, exclude,
			files: result.files, bytes: result.bytes, over24h: clockNow().getTime() - startedAt.getTime() > day, storage: trees.storage, method: method.report.method,
			...(linkDest ? {linkedFrom: linkDest.root} : {}),
			...(options.aem ? {freeze: {aem: maskCredentials(options.aem.url)}} : options.freezeCmd ? {freeze: {command: maskCredentials(options.freezeCmd)}} : {}),
		};
		const extra = externalExtra(trees.external, result.externalStateFile);
		const rootDir: StateRecord = {rel: '', type: 'dir', size: 0, mtimeMs: rootStat.mtimeMs, ctimeMs: rootStat.ctimeMs, ino: rootStat.ino, mode: rootStat.mode, crc32: 0, racy: false};
		await writeManifest(area.root, header, rootDir, stateFiles, extra);
		if (target.kind === 'zip') {
			const zipStarted = Date.now();
			const step: Step = {stage: 'zip'};
			emit({type: 'step-start', step});
			const {zipStaging} = await import('./zip-step.js'); // Directory backups never load the zip writer.
			summary.zipBytes = await zipStaging({
				stagingRoot: area.root, source, partialZip: area.partialZip!, rootDir, stateFiles, extra, files: result.files, bytes: result.bytes, signal,
				// The manifest is zipped first, so the bytes run a little past the tree's: the total grows with them.
				onProgress: (done, filesDone, file) => {
					const total = Math.max(result.bytes, done);
					emit({type: 'progress', step, percent: overallPercent('zip', step, total > 0 ? done / total : 1), bytesDone: done, bytesTotal: total, filesDone, filesTotal: result.files, file});
				},
			});
			await fs.promises.rename(area.partialZip!, target.path);
			await syncDir(path.dirname(target.path));
			if (online) keepListings(stateDir, repository.quickstart);
			await removeTree(area.root);
			summary.zipDurationMs = Date.now() - zipStarted;
			emit({type: 'step-end', step, files: result.files, bytes: result.bytes, deleted: 0, durationMs: summary.zipDurationMs});
		} else {
			if (online) keepListings(stateDir, repository.quickstart);
			fs.rmSync(stateDir, {recursive: true, force: true});
			if (area.previousManifest) await fs.promises.rm(area.previousManifest, {force: true});
			await syncDir(area.root);
			await fs.promises.rm(path.join(area.root, IN_PROGRESS_MARKER));
			written?.save(repository.quickstart, fs.realpathSync(area.root), fs.lstatSync(path.join(area.root, QUICKSTART)).dev, path.join(area.root, MANIFEST_NAME));
		}
		const startFailed = (await method.finish()) ?? resumeFailed; // The snapshot goes and AEM starts before the summary: downtime and release are known.
		Object.assign(summary, method.report, {writesBlockedMs: method.writesBlockedMs() ?? summary.writesBlockedMs, warnings: [...warnings]});
		if (startFailed) throw failure(startFailed);
		const finished = clockNow();
		summary.finishedAt = finished.toISOString();
		summary.durationMs = finished.getTime() - startedAt.getTime();
		summary.over24h = summary.durationMs > day;
		// The zip's mtime is when the backup ended: what the Backups details call its time ("took") is then the
		// summary's own figure, not a second clock read a few ms earlier. lutimes: a link put there is not followed.
		if (target.kind === 'zip') await fs.promises.lutimes(target.path, finished, finished).catch(() => undefined);
		if (summary.over24h) summary.warnings.push('The backup ran longer than 24 hours: discard it, it may not contain all binaries.');
		if (freezer.thawFailed) throw failure(freezer.thawFailed);
		emit({type: 'done', summary});
		return summary;
	} catch (error) {
		link?.close();
		stopSnapshot.abort(); // The helper thread writes into the state folder: stopped before that goes.
		await snapshot?.catch(() => undefined);
		await freezer.thaw();
		const startFailed = await method?.finish();
		if (area && target.kind === 'zip') await removeZipLeftovers(area);
		else if (stateDir) fs.rmSync(stateDir, {recursive: true, force: true});
		// A stopped directory backup stays marked in progress, but no longer "running".
		if (area && target.kind === 'directory' && copying) try {
			releaseMarker(area.root);
		} catch {}
		// Refused before stage 1 (bad input: exit 2): nothing may stay written, not even the marker.
		if (error instanceof CrxError && error.kind === 'usage' && !copying) await area?.undo?.().catch(() => undefined);
		if (freezer.thawFailed && !(error instanceof CrxError && error.kind === 'cancelled')) throw failure(freezer.thawFailed);
		if (startFailed && !(error instanceof CrxError && error.kind === 'cancelled')) throw failure(startFailed);
		if (error instanceof CrxError) throw error;
		if ((error as Error)?.name === 'AbortError' || signal?.aborted) throw new CrxError('cancelled', 'The backup was cancelled.');
		throw failure(describeFsError(error, 'backing up'), error);
	} finally {
		await helper.close();
		await lock.release();
	}
}

/** Stage 4's folder listings become the next backup's cache (see listing-cache.ts): only once this one succeeded. */
function keepListings(stateDir: string, quickstart: string): void {
	for (const phase of ['A', 'B'] as Phase[]) saveListingCache(path.join(stateDir, listingName(4, phase)), listingCacheFile(quickstart, phase));
}

/** A target with a previous manifest or anything in it is re-synced: stage 1 compares against it. */
function hasPrevious(targetDir: string, previousManifest: string | undefined): boolean {
	if (previousManifest) return true;
	try {
		return fs.readdirSync(targetDir).length > 0;
	} catch {
		return false; // Not there yet: stage 1 makes it.
	}
}

function warn(warnings: Set<string>, emit: (event: BackupEvent) => void, message: string): void {
	if (warnings.has(message)) return;
	warnings.add(message);
	emit({type: 'warning', message});
}

async function removeZipLeftovers(area: WorkArea): Promise<void> {
	if (area.partialZip) await fs.promises.rm(area.partialZip, {force: true}).catch(() => undefined);
	await removeTree(area.root).catch(() => undefined);
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
