import fs from 'node:fs';
import path from 'node:path';
import {overallPercent} from '../bands.js';
import {throwIfAborted, usageError} from '../platform/errors.js';
import {mirrorPhase} from './mirror.js';
import {minSharedFiles} from './capture-queue.js';
import {QUICKSTART} from '../platform/paths.js';
import type {PhaseScope} from '../walk/scope.js';
import {onePart, walkInParallel} from '../walk/parallel-walk.js';
import {replayWalk} from '../walk/source-walk.js';
import {StateReader, StateWriter, type PreviousState} from '../walk/state-file.js';
import type {Throttle} from './throttle.js';
import type {HelperThread} from '../walk/helper-thread.js';
import {mirrorExternal} from './external-phase.js';
import type {CopiedTree} from './trees.js';
import type {PreviousLinker} from './link-file.js';
import type {WrittenInodes} from './written-inodes.js';
import type {BackupEvent, BackupKind, Phase, StageNumber, StageSummary, Step} from '../types.js';

export const DATASTORE = 'repository/datastore';
/**
 * Phase A: all but the datastore; phase B: the datastore. The segment store always goes before the datastore.
 * The one description of a phase's part of the tree: source walks, the target's snapshot and the previous manifest all take it.
 */
export const scopes: Record<Phase, PhaseScope> = {A: {skip: DATASTORE}, B: {only: DATASTORE}};
/** The folder listings a stage's walk leaves (in stateDir) for the next stage's. */
export const listingName = (stage: number, phase: Phase) => `${stage}${phase}.listing`;
/**
 * What the count before stage 1 found (in stateDir): stage 1 replays it, so the
 * count's listings are stage 1's (written as listingName(1, phase)).
 */
export const countedEntries = (phase: Phase) => `0${phase}.entries`;

/**
 * A zip backup's datastore records are read and checksummed by the stages but
 * not staged: they are immutable and content-addressed, so the zip step reads
 * them straight from the source and fails unless each still has the CRC-32 and
 * size that the last stage recorded. Staging them cost a folder and a file
 * created and removed per blob (most of a zip backup's time on a 20,000-blob
 * store). Anything else in the datastore (Oak's temp files before their rename,
 * a lock file) can change or vanish at any moment, so it is staged like the rest.
 */
export const capturesOnly = (kind: BackupKind, phase: Phase): ((rel: string) => boolean) | undefined =>
	kind === 'zip' && phase === 'B' ? isDatastoreRecord : undefined;

/** Where Oak's FileDataStore keeps a record: `ab/cd/ef/abcdef…`, a hex digest (SHA-1 or longer) under its first three byte pairs. */
const RECORD = new RegExp(`^${DATASTORE}/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{2})/\\1\\2\\3[0-9a-f]{34,}$`);
export const isDatastoreRecord = (rel: string): boolean => RECORD.test(rel);

export interface StagesOptions {
	source: string;
	/** The folder that receives crx-quickstart/ (a directory target or a staging folder). */
	root: string;
	/** Where state files and folder listings go (inside root); the count before stage 1 left its entries and stage 1's listings there (see countedEntries). */
	stateDir: string;
	kind: BackupKind;
	/** A source that does not change (a snapshot, a stopped AEM): stage 1 alone, no freeze. */
	onePass?: boolean;
	exclude: string[];
	/** Files and bytes of each phase as counted before stage 1, for progress. */
	expected: Record<Phase, {files: number; bytes: number}>;
	/** A re-synced target as it was before stage 1, one state file per phase (see snapshotTarget): stage 1's previous state. */
	previousTarget?: Record<Phase, string>;
	/** --link-dest: previousTarget describes the previous backup, whose unchanged files stage 1 hard-links (see mirrorPhase). */
	link?: PreviousLinker;
	/** A directory backup's record of the inodes it wrote (see WrittenInodes). */
	written?: WrittenInodes;
	throttle: Throttle;
	signal?: AbortSignal;
	emit: (event: BackupEvent) => void;
	warn: (message: string) => void;
	/** Blocks repository writes before stage 4; returns when they are blocked. */
	freeze: () => Promise<void>;
	/** Unblocks them after stage 4. */
	thaw: () => Promise<void>;
	/** Walks part of the tree on a second core (see walkInParallel). */
	helper?: HelperThread;
	/** An external datastore (see planTrees): mirrored after crx-quickstart's datastore, in phase B of every stage; its files and bytes are counted in expected.B. */
	external?: CopiedTree;
}

export interface StagesResult {
	stages: StageSummary[];
	/** The final state of each phase: the manifest and the zip are written from these. */
	stateFiles: string[];
	/** The external datastore's final state (relative to external-datastore/), when there is one. */
	externalStateFile?: string;
	files: number;
	bytes: number;
	writesBlockedMs: number;
}

/**
 * The seed's four converging stages. Each phase merges a fresh walk of the source
 * with the state the previous stage left (stage 1 of a re-sync: the target itself
 * and its previous manifest), copies what changed, deletes what vanished, and
 * writes the new state to a file beside the target. Stages 1 and 2 are throttled.
 */
export async function runStages(options: StagesOptions): Promise<StagesResult> {
	const {source, root, kind, signal} = options;
	const target = path.join(root, QUICKSTART);
	const existing = fs.lstatSync(target, {throwIfNoEntry: false});
	if (existing && !existing.isDirectory()) throw usageError(`${target} is a symbolic link or a file: crx-backup never writes through it; remove it or choose another target.`);
	if (!existing) fs.mkdirSync(target, {mode: 0o700});
	const {stateDir} = options;
	const stages: StageSummary[] = [];
	let state: Partial<Record<Phase | 'X', {file: string; files: number; bytes: number}>> = {};
	let writesBlockedMs = 0;
	try {
		for (const stage of (options.onePass ? [1] : [1, 2, 3, 4]) as StageNumber[]) {
			let blockedAt = 0;
			if (stage === 4) {
				blockedAt = Date.now();
				await options.freeze();
			}
			const started = Date.now();
			const summary: StageSummary = {stage, files: 0, bytes: 0, deleted: 0, durationMs: 0};
			const next: typeof state = {};
			const expected = stage === 1 ? options.expected : {A: state.A!, B: sum(state.B!, state.X)};
			const total = expected.A.bytes + expected.B.bytes;
			const weightA = total > 0 ? expected.A.bytes / total : 0.5;
			for (const phase of ['A', 'B'] as Phase[]) {
				const step: Step = {stage, phase};
				const started = Date.now();
				options.emit({type: 'step-start', step});
				const previousFile = stage > 1 ? state[phase]!.file : options.previousTarget?.[phase];
				const previous: PreviousState | undefined = previousFile ? new StateReader(previousFile) : undefined;
				const file = path.join(stateDir, `${stage}${phase}.state`);
				const out = new StateWriter(file);
				const [before, weight] = phase === 'A' ? [0, weightA] : [weightA, 1 - weightA];
				const expect = expected[phase];
				let lastEmit = 0;
				const listingIn = path.join(stateDir, listingName(stage - 1, phase));
				const counted = path.join(stateDir, countedEntries(phase));
				try {
					// Stage 1 replays the count's walk (which left stage 1's folder listings for stage 2).
					const walk = stage === 1 && fs.existsSync(counted) ? onePart(replayWalk(counted, signal)) : walkInParallel(source, {
						exclude: options.exclude, ...scopes[phase], signal, onWarning: options.warn, zipNames: kind === 'zip',
						listingIn, listingOut: path.join(stateDir, listingName(stage, phase)),
					}, options.helper);
					const result = await mirrorPhase(source, target, walk, previous, out, {
						throttle: stage <= 2 ? options.throttle : undefined, signal, captureOnly: capturesOnly(kind, phase), link: stage === 1 ? options.link : undefined, written: options.written,
						helper: expect.files >= minSharedFiles ? options.helper : undefined,
						onProgress: (bytesDone, filesDone, current) => {
							const now = Date.now();
							if (now - lastEmit < 20) return; // ~50 events a second is plenty for a view sampled at 10 Hz.
							lastEmit = now;
							const fraction = expect.bytes > 0 ? bytesDone / expect.bytes : (expect.files > 0 ? filesDone / expect.files : 1);
							options.emit({type: 'progress', step, percent: overallPercent(kind, step, before + weight * Math.min(1, fraction)), bytesDone, bytesTotal: Math.max(expect.bytes, bytesDone), filesDone, filesTotal: Math.max(expect.files, filesDone), estimated: true, file: current});
						},
					});
					summary.files += result.files;
					summary.bytes += result.bytes;
					summary.deleted += result.deleted;
					let done = {files: out.files, bytes: out.bytes};
					if (phase === 'B' && options.external) {
						// The external datastore: the second half of phase B, in the same step (see mirrorExternal).
						const x = await mirrorExternal({
							tree: options.external, stage, root, stateDir, kind, throttle: stage <= 2 ? options.throttle : undefined, signal, warn: options.warn,
							onProgress: (bytesDone, filesDone, current) => options.emit({
								type: 'progress', step, bytesDone: done.bytes + bytesDone, filesDone: done.files + filesDone, file: current,
								percent: overallPercent(kind, step, before + weight * Math.min(1, expect.bytes > 0 ? (done.bytes + bytesDone) / expect.bytes : 1)),
								bytesTotal: Math.max(expect.bytes, done.bytes + bytesDone), filesTotal: Math.max(expect.files, done.files + filesDone), estimated: true,
							}),
						});
						for (const counts of [summary, result]) addCopied(counts, x.copied);
						next.X = {file: x.file, files: x.files, bytes: x.bytes};
						done = sum(done, x);
					}
					options.emit({type: 'progress', step, percent: overallPercent(kind, step, before + weight), bytesDone: done.bytes, bytesTotal: done.bytes, filesDone: done.files, filesTotal: done.files});
					options.emit({type: 'step-end', step, files: result.files, bytes: result.bytes, deleted: result.deleted, unchanged: result.unchanged, durationMs: Date.now() - started});
				} finally {
					out.close();
					previous?.close();
				}
				if (previousFile) fs.rmSync(previousFile, {force: true});
				fs.rmSync(listingIn, {force: true});
				fs.rmSync(counted, {force: true});
				next[phase] = {file, files: out.files, bytes: out.bytes};
			}
			throwIfAborted(signal);
			state = next;
			if (stage <= 2) await options.throttle.settle();
			if (stage === 4) {
				await options.thaw();
				writesBlockedMs = blockedAt ? Date.now() - blockedAt : 0;
			}
			summary.durationMs = Date.now() - started;
			stages.push(summary);
		}
	} catch (error) {
		fs.rmSync(stateDir, {recursive: true, force: true});
		throw error;
	}
	const all = sum(sum(state.A!, state.B), state.X);
	return {
		stages, stateFiles: [state.A!.file, state.B!.file], externalStateFile: state.X?.file, files: all.files, bytes: all.bytes, writesBlockedMs,
	};
}

const sum = (a: {files: number; bytes: number}, b?: {files: number; bytes: number}) => ({files: a.files + (b?.files ?? 0), bytes: a.bytes + (b?.bytes ?? 0)});
const addCopied = (to: {files: number; bytes: number; deleted: number}, from: {files: number; bytes: number; deleted: number}) => {
	to.files += from.files;
	to.bytes += from.bytes;
	to.deleted += from.deleted;
};
