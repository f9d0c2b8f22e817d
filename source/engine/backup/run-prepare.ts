import fs from 'node:fs';
import path from 'node:path';
import {throwIfAborted, usageError} from '../platform/errors.js';
import {defaultFreezeTimeoutMs} from '../option-rules.js';
import {listingCacheFile, trustedCache} from './listing-cache.js';
import {QUICKSTART} from '../platform/paths.js';
import {countTree} from './count.js';
import {countedEntries, listingName, scopes} from './stages.js';
import {prepareDirectory, prepareStaging} from './targets.js';
import {snapshotTarget} from '../walk/target-snapshot.js';
import {checkSpace} from './space.js';
import {estimateDelaySeconds} from './throttle.js';
import type {Phase} from '../types.js';
import {worthTheHelper} from '../walk/helper-thread.js';
import {resolveLinkDest, type LinkDest} from './link-dest.js';
import {openMethod} from './methods/method.js';
import {warn, type RunState} from './run-state.js';

/**
 * The smallest previous manifest (about 180 bytes an entry: some 12,000 entries)
 * whose target is walked on the helper thread; a smaller one is walked here, in
 * a fraction of a second, and a small repository never starts the thread.
 */
const minSnapshotManifestBytes = 2 * 1024 * 1024;

/** What prepare found: where the copy reads, what it expects, and what it compares against. */
export interface Prepared {
	source: string;
	/** Online: the live tree, copied in four converging stages; otherwise one pass over a still tree. */
	online: boolean;
	linkDest?: LinkDest;
	expected: Record<Phase, {files: number; bytes: number}>;
	/** The previous target's walk, per phase: a re-sync's (or --link-dest's) stage 1 compares with it. */
	snapshotFiles?: Record<Phase, string>;
	repositoryBytes: number;
}

/**
 * Everything before stage 1 copies a byte: the previous backup to link from, the
 * work area (staging folder or directory target, marked), the method's source
 * (the live tree, a snapshot, or a stopped AEM's), the count of what will be
 * copied, the space check, then the start event and the warnings. A refusal here
 * (exit 2) puts the target back as it was.
 */
export async function prepare(run: RunState): Promise<Prepared> {
	const {options, exclude, trees, freezer, plan, helper, stopSnapshot} = run;
	const {repository, target, signal} = options;
	const linkDest = await resolveLinkDest(options.linkDest, options.incremental ?? false, repository, target);
	const area = run.area = target.kind === 'zip' ? await prepareStaging(target, repository.quickstart) : await prepareDirectory(target, repository.quickstart);
	const dir = run.stateDir = fs.mkdtempSync(path.join(area.root, '.crx-backup-state-'));
	const method = run.method = await openMethod(plan, {
		quickstart: repository.quickstart, freezer, timeoutMs: options.freezeTimeoutMs ?? defaultFreezeTimeoutMs, signal,
		env: {CRX_BACKUP_REPO: repository.quickstart, CRX_BACKUP_TARGET: target.path}, warn: message => warn(run, message),
		onAem: state => run.emit({type: 'aem', state}),
	});
	// The copy reads the live tree (online) or a snapshot of it; the listing cache describes only the live tree.
	const source = method.source;
	const online = !method.onePass;
	// Counted before stage 1: the start event's sizes, the delay's budget and stage 1's progress come from it,
	// and stage 1 replays its walk (one walk of the whole tree fewer); its warnings follow the start event.
	const countWarnings: string[] = [];
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
		const previousManifest = linkDest?.manifest ?? area.previousManifest;
		run.snapshot = snapshotTarget({
			target: linkDest?.quickstart ?? targetDir, previousManifest,
			phases: (['A', 'B'] as Phase[]).map(phase => ({phase, scope: scopes[phase], file: snapshotFiles[phase]})),
		}, worthTheHelper(previousManifest, minSnapshotManifestBytes) ? helper : undefined, signal ? AbortSignal.any([signal, stopSnapshot.signal]) : stopSnapshot.signal);
		run.snapshot.catch(() => undefined); // Awaited below; a failed count must not leave it unhandled meanwhile.
	}
	const expected = {A: await count('A'), B: await count('B')};
	if (trees.external) {
		const external = await countTree(trees.external.source, {exclude: [], signal, zipNames: target.kind === 'zip', onWarning: message => countWarnings.push(message)});
		expected.B = {files: expected.B.files + external.files, bytes: expected.B.bytes + external.bytes};
	}
	await run.snapshot;
	throwIfAborted(signal);
	const repositoryBytes = expected.A.bytes + expected.B.bytes;
	// Checked once the count knows the size, before stage 1 copies anything; refused, the target is put back as it was.
	const space = await checkSpace(target, repositoryBytes, area.previousManifest, true);
	if (space.short && !options.force) throw usageError(space.short);
	run.emit({
		type: 'start', source: repository.quickstart, target: target.path, kind: target.kind, repositoryBytes,
		repositoryFiles: expected.A.files + expected.B.files, delayMs: options.delayMs,
		estimatedDelayMs: estimateDelaySeconds(repositoryBytes, options.delayMs, target.kind) * 1000,
		writesBlocked: freezer.blocks || method.report.method === 'offline',
	});
	for (const message of run.freezerWarnings) warn(run, message);
	if (plan.method === 'snapshot' && !freezer.blocks) warn(run, 'No --freeze-cmd: the snapshot was taken with repository writes unblocked, as a power cut would leave it.');
	if (online && !freezer.blocks) warn(run, 'No --freeze-cmd: stage 4 runs with repository writes unblocked, so the backup may not be consistent.');
	for (const message of [...trees.warnings, ...countWarnings]) warn(run, message);
	return {source, online, ...(linkDest ? {linkDest} : {}), expected, ...(snapshotFiles ? {snapshotFiles} : {}), repositoryBytes};
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
