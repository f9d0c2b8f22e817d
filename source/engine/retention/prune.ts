import fs from 'node:fs';
import path from 'node:path';
import {CrxError, failure, throwIfAborted, usageError} from '../platform/errors.js';
import {list} from '../catalog/list.js';
import {adoptHint, LeftAlone, remove} from '../catalog/delete.js';
import {runningTarget} from '../monitor/running.js';
import {isOwnerAlive, readOwner} from '../platform/owner.js';
import {DELETING_MARKER, IN_PROGRESS_MARKER, STAGING_MARKER} from '../platform/paths.js';
import type {BackupRecord, PruneDecision, PruneLeft, PruneOptions, PruneResult, RetentionPolicy} from '../types.js';
import {applyPolicy, isEmptyPolicy} from './policy.js';




/** The repository a record belongs to: its manifest's source, else its owner marker's (a running or killed backup, an interrupted delete). */
function sourceOf(record: BackupRecord): string | undefined {
	if (record.manifest?.source) return record.manifest.source;
	const partial = /^(.*)\.zip\.([0-9a-f]+)\.partial$/.exec(record.name);
	const marker = record.leftover === 'partial-zip' && partial ? path.join(path.dirname(record.path), `${partial[1]}.${partial[2]}.temp`, STAGING_MARKER)
		: record.leftover === 'staging' ? path.join(record.path, STAGING_MARKER)
			: record.leftover === 'deleting' ? path.join(record.path, DELETING_MARKER)
				: path.join(record.path, IN_PROGRESS_MARKER);
	const source = readOwner(marker)?.source;
	return typeof source === 'string' ? source : undefined;
}

export interface DecideOptions {
	repository?: string;
	running?: Set<string>;
	/** The backup the run just made: kept, whatever the rules or any date say. */
	justMade?: string;
	/** Filled with what is not decided because crx-backup cannot prove it wrote it. */
	left?: PruneLeft[];
}

/**
 * Decides, per repository (restic's group-by), what the policy keeps, with
 * rules of our own on top: only what crx-backup can prove it wrote is decided
 * (anything else is left, named in `left` with the way to adopt it); the backup
 * just made and the newest complete one are always kept; a running one (its
 * owner alive, or the target of the repository's held lock) is never touched;
 * an incomplete one older than the newest complete one goes (it never
 * restores), and so does the rest of an interrupted delete. Times are the
 * state folder's records of making them, never a date read from a backup.
 * Backups whose repository cannot be told, installs and restore leftovers are
 * not decided at all. Pure apart from reading markers.
 */
export function decide(records: readonly BackupRecord[], policy: RetentionPolicy, options: DecideOptions = {}): PruneDecision[] {
	const groups = new Map<string, BackupRecord[]>();
	const justMade = options.justMade === undefined ? undefined : path.resolve(options.justMade);
	for (const record of records) {
		if (record.status === 'install' || record.leftover === 'restore-staging') continue;
		const source = sourceOf(record);
		if (!source || (options.repository && source !== options.repository)) continue;
		if (!record.ours) {
			options.left?.push({path: record.path, name: record.name, reason: `crx-backup cannot prove it wrote it: ${record.unproven ?? 'no record of it'}`, hint: adoptHint(record)});
			continue;
		}
		groups.set(source, [...groups.get(source) ?? [], record]);
	}
	const decisions: PruneDecision[] = [];
	for (const [source, group] of groups) {
		const decision = (record: BackupRecord, action: PruneDecision['action'], reasons: string[]) =>
			decisions.push({path: record.path, name: record.name, created: record.created, status: record.status, source, action, reasons});
		const complete = group.filter(record => record.status === 'complete' && !options.running?.has(record.path));
		const {keep, remove: drop} = applyPolicy(complete, record => new Date(record.created), policy);
		// Every rule keeps the newest first, so the policy never drops it; the guard makes that a rule of ours, not a consequence.
		const newest = [...complete].sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
		for (const {item, reasons} of keep) decision(item, 'keep', reasons);
		for (const item of drop) {
			const why = item.path === justMade ? 'just made' : item === newest ? 'newest complete' : undefined;
			decision(item, why ? 'keep' : 'remove', [why ?? 'no rule keeps it']);
		}
		const newestTime = newest ? Date.parse(newest.created) : undefined;
		for (const record of group) {
			if (complete.includes(record)) continue;
			const incomplete = record.problem ? `incomplete (${record.problem})` : 'incomplete';
			if (record.status === 'running' || options.running?.has(record.path)) decision(record, 'keep', ['running']);
			else if (record.path === justMade) decision(record, 'keep', ['just made']);
			else if (record.leftover === 'deleting') decision(record, 'remove', ['the rest of an interrupted delete']);
			else if (newestTime !== undefined && Date.parse(record.created) < newestTime) decision(record, 'remove', [`${incomplete}, older than the newest complete backup`]);
			else decision(record, 'keep', [`${incomplete}, newer than any complete backup`]);
		}
	}
	return decisions.sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || a.name.localeCompare(b.name));
}

/**
 * Applies the policy to the backups `list` finds, deleting through catalog/delete.ts (which never
 * follows a link, and leaves alone what AEM uses or crx-backup cannot prove it wrote: those move
 * from the decisions to `left`). A dry run goes through the same checks, deleting nothing.
 */
export async function prune(options: PruneOptions): Promise<PruneResult> {
	if (isEmptyPolicy(options.policy)) throw usageError('prune needs at least one rule: --keep-last, --keep-hourly, --keep-daily, --keep-weekly or --keep-monthly with a count above 0.');
	const records = await list(options);
	const running = new Set<string>();
	const lockTarget = options.repository ? runningTarget(options.repository.quickstart) : undefined;
	if (lockTarget) running.add(path.resolve(lockTarget));
	const left: PruneLeft[] = [];
	const decisions = decide(records, options.policy, {repository: options.repository?.quickstart, running, justMade: listedAs(records, options.justMade), left});
	const result: PruneResult = {policy: options.policy, dryRun: options.dryRun ?? false, decisions, deleted: [], failed: [], left};
	for (const decision of decisions.filter(item => item.action === 'remove')) {
		throwIfAborted(options.signal);
		try {
			// Looked up again by path: a backup that started writing since the listing is refused, not deleted.
			await remove(decision.path, options, {dryRun: options.dryRun});
			if (!options.dryRun) result.deleted.push(decision.path);
		} catch (error) {
			if (error instanceof LeftAlone) {
				result.decisions = result.decisions.filter(item => item !== decision);
				left.push({path: decision.path, name: decision.name, reason: error.reason, hint: error.hint});
				continue;
			}
			if (!(error instanceof CrxError) || error.kind === 'cancelled') throw error;
			if (goneOrGoing(decision.path)) {
				// Two nightly jobs at once: the other prune removed it (or is removing it) since our listing. What
				// this run decided holds, so it is no failure (no exit 1, no --on-failure for nothing).
				decision.reasons = [...decision.reasons, 'removed by another crx-backup run meanwhile'];
				continue;
			}
			result.failed.push({path: decision.path, sentence: error.message});
		}
	}
	return result;
}

/** The path `list` names the backup just made by (its folder may be listed through a link): the same file, not the same text. */
function listedAs(records: readonly BackupRecord[], justMade: string | undefined): string | undefined {
	const made = justMade === undefined ? undefined : fs.lstatSync(justMade, {throwIfNoEntry: false});
	if (!made) return justMade;
	const same = records.find(record => {
		const stat = fs.lstatSync(record.path, {throwIfNoEntry: false});
		return stat?.dev === made.dev && stat.ino === made.ino;
	});
	return same?.path ?? justMade;
}

/** Whether `file` is gone, or another live crx-backup is deleting it (its being-deleted marker names a live owner). */
function goneOrGoing(file: string): boolean {
	const stat = fs.lstatSync(file, {throwIfNoEntry: false});
	if (!stat) return true;
	// Our own marker (this prune's delete stopped half-way) is a failure of ours, never another run's work.
	const owner = stat.isDirectory() ? readOwner(path.join(file, DELETING_MARKER)) : undefined;
	return owner !== undefined && owner.pid !== process.pid && isOwnerAlive(owner);
}

/** A prune whose deletions did not all happen is a failed run (exit 1); the sentence names the first. */
export function pruneFailure(result: PruneResult): CrxError | undefined {
	const [first] = result.failed;
	if (!first) return undefined;
	return failure(`${result.failed.length} backup${result.failed.length > 1 ? 's' : ''} could not be pruned; the first: ${first.sentence}`);
}
