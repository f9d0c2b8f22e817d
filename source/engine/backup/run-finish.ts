import fs from 'node:fs';
import path from 'node:path';
import {overallPercent} from '../bands.js';
import {failure} from '../platform/errors.js';
import {IN_PROGRESS_MARKER, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {clockNow} from '../platform/clock.js';
import {removeTree} from '../walk/remove-tree.js';
import {writeManifest} from '../manifest/write.js';
import type {BackupSummary, Phase, Step} from '../types.js';
import {listingCacheFile, saveListingCache} from './listing-cache.js';
import {listingName} from './stages.js';
import {externalExtra} from './external-phase.js';
import type {Prepared} from './run-prepare.js';
import type {Copied} from './run-copy.js';
import {warn, type RunState} from './run-state.js';
import {movedSentence, placeZip} from './place-zip.js';

const day = 24 * 60 * 60 * 1000;

/**
 * What makes the copy a backup: the manifest, then for a zip the zip written
 * beside the staging folder and renamed into place, for a directory the marker
 * removed last. Only then does the method finish (the snapshot goes, a stopped
 * AEM starts if it has not yet), and the summary gets its times.
 */
export async function finish(run: RunState, prepared: Prepared, copied: Copied): Promise<BackupSummary> {
	const {options, trees, freezer, area, stateDir, method, written, startedAt} = run;
	const {repository, target, signal} = options;
	const {result, summary, header, rootDir} = copied;
	const {stateFiles} = result;
	const extra = externalExtra(trees.external, result.externalStateFile);
	await writeManifest(area!.root, header, rootDir, stateFiles, extra);
	if (target.kind === 'zip') {
		const zipStarted = Date.now();
		const step: Step = {stage: 'zip'};
		run.emit({type: 'step-start', step});
		const {zipStaging} = await import('./zip-step.js'); // Directory backups never load the zip writer.
		summary.zipBytes = await zipStaging({
			stagingRoot: area!.root, source: prepared.source, partialZip: area!.partialZip!, rootDir, stateFiles, extra, files: result.files, bytes: result.bytes, signal,
			// The manifest is zipped first, so the bytes run a little past the tree's: the total grows with them.
			onProgress: (done, filesDone, file) => {
				const total = Math.max(result.bytes, done);
				run.emit({type: 'progress', step, percent: overallPercent('zip', step, total > 0 ? done / total : 1), bytesDone: done, bytesTotal: total, filesDone, filesTotal: result.files, file});
			},
		});
		const placed = placeZip(area!.partialZip!, target.path, options.force === true);
		if (placed !== target.path) {
			summary.target = placed;
			warn(run, movedSentence(target.path, placed));
		}
		await syncDir(path.dirname(target.path));
		if (prepared.online) keepListings(stateDir!, repository.quickstart);
		await removeTree(area!.root);
		summary.zipDurationMs = Date.now() - zipStarted;
		run.emit({type: 'step-end', step, files: result.files, bytes: result.bytes, deleted: 0, durationMs: summary.zipDurationMs});
	} else {
		if (prepared.online) keepListings(stateDir!, repository.quickstart);
		fs.rmSync(stateDir!, {recursive: true, force: true});
		if (area!.previousManifest) await fs.promises.rm(area!.previousManifest, {force: true});
		await syncDir(area!.root);
		await fs.promises.rm(path.join(area!.root, IN_PROGRESS_MARKER));
		written?.save(repository.quickstart, fs.realpathSync(area!.root), fs.lstatSync(path.join(area!.root, QUICKSTART)).dev, path.join(area!.root, MANIFEST_NAME));
	}
	const startFailed = (await method!.finish()) ?? copied.resumeFailed; // The snapshot goes and AEM starts before the summary: downtime and release are known.
	Object.assign(summary, method!.report, {writesBlockedMs: method!.writesBlockedMs() ?? summary.writesBlockedMs, warnings: [...run.warnings]});
	if (startFailed) throw failure(startFailed);
	const finished = clockNow();
	summary.finishedAt = finished.toISOString();
	summary.durationMs = finished.getTime() - startedAt.getTime();
	summary.over24h = summary.durationMs > day;
	// The zip's mtime is when the backup ended: what the Backups details call its time ("took") is then the
	// summary's own figure, not a second clock read a few ms earlier. lutimes: a link put there is not followed.
	if (target.kind === 'zip') await fs.promises.lutimes(summary.target, finished, finished).catch(() => undefined);
	if (summary.over24h) summary.warnings.push('The backup ran longer than 24 hours: discard it, it may not contain all binaries.');
	if (freezer.thawFailed) throw failure(freezer.thawFailed);
	run.emit({type: 'done', summary});
	return summary;
}

/** Stage 4's folder listings become the next backup's cache (see listing-cache.ts): only once this one succeeded. */
function keepListings(stateDir: string, quickstart: string): void {
	for (const phase of ['A', 'B'] as Phase[]) saveListingCache(path.join(stateDir, listingName(4, phase)), listingCacheFile(quickstart, phase));
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
