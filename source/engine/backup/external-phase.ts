import fs from 'node:fs';
import path from 'node:path';
import {mirrorPhase, type PhaseResult} from './mirror.js';
import {PreviousTarget} from '../walk/previous-target.js';
import {walkInParallel} from '../walk/parallel-walk.js';
import {StateReader, StateWriter, type PreviousState} from '../walk/state-file.js';
import {usageError} from '../platform/errors.js';
import type {ExtraTree} from '../manifest/write.js';
import type {CopiedTree} from './trees.js';
import type {Throttle} from './throttle.js';
import type {BackupKind, OnProgress, StageNumber} from '../types.js';

/** The external datastore's state file of a stage (in stateDir): the next stage's previous state, and the manifest's in the end. */
export const externalStateName = (stage: number) => `${stage}X.state`;
const listing = (stage: number) => `${stage}X.listing`;

export interface ExternalPhaseOptions {
	tree: CopiedTree;
	stage: StageNumber;
	/** The folder that receives the backup's top folders. */
	root: string;
	stateDir: string;
	kind: BackupKind;
	throttle?: Throttle;
	signal?: AbortSignal;
	warn: (message: string) => void;
	onProgress: OnProgress;
}

/**
 * Mirrors the external datastore into root/external-datastore, the second half of
 * a stage's phase B. It is always staged, for a zip too: it lies on another
 * file system that may be unmounted before the zip step reads it. Stage 1 of a
 * re-sync compares with what the target holds (without its manifest's CRCs:
 * each file is copied again, by rename, and what the source lost is deleted).
 */
export async function mirrorExternal(options: ExternalPhaseOptions): Promise<{copied: PhaseResult; file: string; files: number; bytes: number}> {
	const {tree, stage, stateDir} = options;
	const target = path.join(options.root, tree.top);
	const existing = fs.lstatSync(target, {throwIfNoEntry: false});
	if (existing && !existing.isDirectory()) throw usageError(`${target} is a symbolic link or a file: crx-backup never writes through it; remove it or choose another target.`);
	if (!existing) fs.mkdirSync(target, {mode: 0o700});
	const previousFile = stage > 1 ? path.join(stateDir, externalStateName(stage - 1)) : undefined;
	const previous: PreviousState = previousFile ? new StateReader(previousFile) : new PreviousTarget(target, undefined, {});
	const file = path.join(stateDir, externalStateName(stage));
	const out = new StateWriter(file);
	const listingIn = path.join(stateDir, listing(stage - 1));
	try {
		const walk = walkInParallel(tree.source, {
			exclude: [], signal: options.signal, onWarning: options.warn, zipNames: options.kind === 'zip',
			listingIn, listingOut: path.join(stateDir, listing(stage)),
		});
		const result = await mirrorPhase(tree.source, target, walk, previous, out, {throttle: options.throttle, signal: options.signal, onProgress: options.onProgress});
		return {copied: result, file, files: out.files, bytes: out.bytes};
	} finally {
		out.close();
		previous.close();
		if (previousFile) fs.rmSync(previousFile, {force: true});
		fs.rmSync(listingIn, {force: true});
	}
}

/** The manifest's and the zip's view of the external tree once the stages are done (see writeManifest). */
export function externalExtra(tree: CopiedTree | undefined, stateFile: string | undefined): ExtraTree | undefined {
	if (!tree || !stateFile) return undefined;
	const stat = fs.statSync(tree.source);
	return {
		top: tree.top, stateFile,
		rootDir: {rel: '', type: 'dir', size: 0, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, crc32: 0, racy: false},
	};
}
