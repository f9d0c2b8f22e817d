import fs from 'node:fs';
import {CrxError, describeFsError, failure, usageError} from '../platform/errors.js';
import {normalizeExcludes} from './excludes.js';
import {chooseFreezer} from './choose-freezer.js';
import {acquireLock} from './lock.js';
import {removeTree} from '../walk/remove-tree.js';
import {releaseMarker, type WorkArea} from './targets.js';
import {replaceRefusal} from './repository.js';
import type {BackupEvent, BackupOptions, BackupSummary} from '../types.js';
import {HelperThread} from '../walk/helper-thread.js';
import {clockNow} from '../platform/clock.js';
import {planTrees} from './trees.js';
import {planMethod} from './methods/method.js';
import {prepare} from './run-prepare.js';
import {copy} from './run-copy.js';
import {finish} from './run-finish.js';
import type {RunState} from './run-state.js';

/**
 * AEM's online backup: four converging copy stages (the last with repository
 * writes blocked by the freeze command), then, for a zip, zipping the staging
 * folder. Nothing is ever written into the source; nothing half-written ever
 * looks complete. In three steps under the lock (prepare, copy, finish); what
 * can refuse without writing anything comes before it.
 */
export async function runBackup(options: BackupOptions): Promise<BackupSummary> {
	const {repository, target} = options;
	const emit = (event: BackupEvent) => options.onEvent?.(event);
	const exclude = normalizeExcludes(options.exclude);
	const replacing = options.force ? undefined : replaceRefusal(target);
	if (replacing) throw usageError(replacing);
	const trees = planTrees(repository, target, options); // Reads only: a refusal here has written nothing.
	// First: an AEM that refuses (a GC running, a wrong password) leaves nothing written, not even the lock.
	const {freezer, warnings: freezerWarnings} = await chooseFreezer(options, {repo: repository.quickstart, target: target.path}, emit);
	const plan = await planMethod(options); // A method refused (exit 2) before the lock: nothing written.
	const lock = await acquireLock(repository.quickstart, target.path);
	const run: RunState = {
		options, emit, exclude, trees, freezer, freezerWarnings, plan, warnings: new Set(), startedAt: clockNow(),
		helper: new HelperThread(), stopSnapshot: new AbortController(), copying: false,
	};
	try {
		const prepared = await prepare(run);
		return await finish(run, prepared, await copy(run, prepared));
	} catch (error) {
		return await abandon(run, error);
	} finally {
		await run.helper.close();
		await lock.release();
	}
}

/**
 * A run that failed, was refused or cancelled at any step: the freeze is undone,
 * the method's source released (a stopped AEM started again), and what this run
 * wrote is removed or marked; what a previous backup held stays. Throws the
 * error the run ends with.
 */
async function abandon(run: RunState, error: unknown): Promise<never> {
	const {options, freezer, area, stateDir} = run;
	const {target} = options;
	run.link?.close();
	run.stopSnapshot.abort(); // The helper thread writes into the state folder: stopped before that goes.
	await run.snapshot?.catch(() => undefined);
	await freezer.thaw();
	const startFailed = await run.method?.finish();
	if (area && target.kind === 'zip') await removeZipLeftovers(area);
	else if (stateDir) fs.rmSync(stateDir, {recursive: true, force: true});
	// A stopped directory backup stays marked in progress, but no longer "running".
	if (area && target.kind === 'directory' && run.copying) try {
		releaseMarker(area.root);
	} catch {}
	// Refused before stage 1 (bad input: exit 2): nothing may stay written, not even the marker.
	if (error instanceof CrxError && error.kind === 'usage' && !run.copying) await area?.undo?.().catch(() => undefined);
	if (freezer.thawFailed && !(error instanceof CrxError && error.kind === 'cancelled')) throw failure(freezer.thawFailed);
	if (startFailed && !(error instanceof CrxError && error.kind === 'cancelled')) throw failure(startFailed);
	if (error instanceof CrxError) throw error;
	if ((error as Error)?.name === 'AbortError' || options.signal?.aborted) throw new CrxError('cancelled', 'The backup was cancelled.');
	throw failure(describeFsError(error, 'backing up'), error);
}

async function removeZipLeftovers(area: WorkArea): Promise<void> {
	if (area.partialZip) await fs.promises.rm(area.partialZip, {force: true}).catch(() => undefined);
	await removeTree(area.root).catch(() => undefined);
}
