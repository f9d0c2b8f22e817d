import fs from 'node:fs';
import type {BackupSummary, ManifestHeader} from '../types.js';
import type {StateRecord} from '../walk/state-file.js';
import {toolVersion} from '../platform/version.js';
import {clockNow} from '../platform/clock.js';
import {runStages, type StagesResult} from './stages.js';
import {Throttle} from './throttle.js';
import {PreviousLinker} from './link-file.js';
import {readWrittenInodes, WrittenInodes} from './written-inodes.js';
import {maskCredentials} from './freeze-record.js';
import type {Prepared} from './run-prepare.js';
import {warn, type RunState} from './run-state.js';

const day = 24 * 60 * 60 * 1000;

/** What the copy left for finish: the staged tree's state files, the summary so far and the manifest's header. */
export interface Copied {
	result: StagesResult;
	summary: BackupSummary;
	header: ManifestHeader;
	/** The source's own folder, as the manifest records it. */
	rootDir: StateRecord;
	/** The offline method's AEM did not start again once the copy was staged (the sentence), or undefined. */
	resumeFailed?: string;
}

/**
 * The copy: the four converging stages (one pass for a snapshot or a stopped AEM),
 * linking from the previous backup where it may, throttled by the delay; then an
 * offline AEM starts again at once (the zip is not downtime), and the summary and
 * the manifest's header say what was copied and how writes were blocked.
 */
export async function copy(run: RunState, prepared: Prepared): Promise<Copied> {
	const {options, exclude, trees, freezer, helper, area, stateDir, method, startedAt} = run;
	const {repository, target, signal} = options;
	const {source, linkDest} = prepared;
	run.copying = true;
	const rootStat = fs.statSync(source);
	// Links go to the previous backup's files, never to the live source's (its device, not a snapshot's).
	// A directory backup records the inodes it writes: the next night's --link-dest trusts its CRCs by them.
	const written = run.written = target.kind === 'directory' ? new WrittenInodes() : undefined;
	const proven = linkDest ? readWrittenInodes(repository.quickstart, linkDest.root, linkDest.dev, linkDest.manifest) : undefined;
	const link = run.link = linkDest ? new PreviousLinker(linkDest, fs.statSync(repository.quickstart).dev, proven, written) : undefined;
	const throttle = Throttle.forBackup(options.delayMs, target.kind, prepared.repositoryBytes, signal);
	const result = await runStages({
		source, onePass: method!.onePass, root: area!.root, stateDir: stateDir!, kind: target.kind, exclude, expected: prepared.expected,
		previousTarget: prepared.snapshotFiles, throttle, signal, emit: run.emit, warn: message => warn(run, message), link, written,
		freeze: () => freezer.freeze(),
		thaw: () => freezer.thaw(),
		helper, external: trees.external,
	});
	await helper.close();
	link?.close();
	// The consistent copy is staged: an offline AEM starts again now, not after the zip is written.
	const resumeFailed = await method!.resume?.();
	if (link?.refused) warn(run, `${link.refused} files of ${linkDest!.root} were not what its manifest says: they were copied, not linked.`);
	const {stages} = result;
	const writesBlockedMs = method!.writesBlockedMs() ?? (freezer.blocks ? result.writesBlockedMs : 0);
	// Blocked means what blocks writes said so (AEM's answer is checked: see aem/freezer.ts), or AEM was down.
	const unconfirmed = method!.report.method === 'offline' ? undefined : freezer.unconfirmed;
	if (unconfirmed) warn(run, unconfirmed);
	const writesBlocked = (freezer.blocks && !unconfirmed) || method!.report.method === 'offline';
	const summary: BackupSummary = {
		target: target.path, kind: target.kind, source: repository.quickstart, files: result.files, bytes: result.bytes,
		startedAt: startedAt.toISOString(), finishedAt: '', durationMs: 0, writesBlockedMs,
		writesBlocked, delayMs: options.delayMs, throttledMs: Math.round(throttle.sleptMs), stages, over24h: false,
		warnings: [...run.warnings], ...method!.report, ...(unconfirmed ? {writesBlockingNotConfirmed: unconfirmed} : {}),
	};
	const header: ManifestHeader = {
		format: 'crx-backup-manifest', formatVersion: 1, tool: 'crx-backup', toolVersion, source: repository.quickstart, kind: target.kind,
		startedAt: summary.startedAt, finishedAt: clockNow().toISOString(), durationMs: clockNow().getTime() - startedAt.getTime(),
		writesBlocked: summary.writesBlocked, writesBlockedMs: summary.writesBlockedMs, ...(unconfirmed ? {writesBlockingNotConfirmed: unconfirmed} : {}),
		delayMs: options.delayMs, stages, exclude,
		files: result.files, bytes: result.bytes, over24h: clockNow().getTime() - startedAt.getTime() > day, storage: trees.storage, method: method!.report.method,
		...(linkDest ? {linkedFrom: linkDest.root} : {}),
		...(options.aem ? {freeze: {aem: maskCredentials(options.aem.url)}} : options.freezeCmd ? {freeze: {command: maskCredentials(options.freezeCmd)}} : {}),
	};
	const rootDir: StateRecord = {rel: '', type: 'dir', size: 0, mtimeMs: rootStat.mtimeMs, ctimeMs: rootStat.ctimeMs, ino: rootStat.ino, mode: rootStat.mode, crc32: 0, racy: false};
	return {result, summary, header, rootDir, ...(resumeFailed ? {resumeFailed} : {})};
}
