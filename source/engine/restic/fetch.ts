import fs from 'node:fs';
import path from 'node:path';
import {classify} from '../catalog/list.js';
import {shortPath, usageError} from '../platform/errors.js';
import {restore} from '../restore/run.js';
import {checkRestoreDestination} from '../restore/destination.js';
import {removeTree} from '../walk/remove-tree.js';
import {checkResticRepo, runRestic} from './restic-process.js';
import {maskResticRepo, resticRepoFromEnvironment} from './repository.js';
import type {FetchEvent} from './types.js';
import type {RestoreEvent, RestoreOptions, RestoreSummary} from '../types.js';

const PREFIX = 'restic:';
/** A snapshot as restic names it: its ID (8 to 64 hex digits) or `latest`. */
const SNAPSHOT = /^([0-9a-f]{8,64}|latest)$/;

/**
 * `restic:REPO#SNAPSHOT` split into its parts; undefined for anything that does not start with restic:.
 * `restic:#SNAPSHOT` takes the repository from RESTIC_REPOSITORY / RESTIC_REPOSITORY_FILE (off the command line).
 */
export function parseResticRef(ref: string): {repo: string; snapshot: string} | undefined {
	if (!ref.startsWith(PREFIX)) return undefined;
	const hash = ref.lastIndexOf('#');
	const named = hash > 0 ? ref.slice(PREFIX.length, hash) : '';
	const repo = hash === PREFIX.length ? resticRepoFromEnvironment() ?? '' : named;
	const snapshot = hash > 0 ? ref.slice(hash + 1) : '';
	if (!repo || !SNAPSHOT.test(snapshot)) throw usageError(`${shortPath(maskResticRepo(ref))} names no snapshot: write restic:REPO#SNAPSHOT (a snapshot ID \`crx-backup list --restic-repo REPO\` shows, or latest).`);
	return {repo, snapshot};
}

export interface ResticRestoreOptions extends Omit<RestoreOptions, 'backup' | 'onEvent'> {
	ref: string;
	onEvent?: (event: RestoreEvent | FetchEvent) => void;
}

/**
 * `restore restic:REPO#SNAPSHOT --to DIR`: `restic restore` into a private
 * staging folder beside DIR, then the same restore as from any local backup
 * (its checks, manifest verification, exec-bit fixes and staging), then the
 * fetched copy goes. A snapshot that does not hold a complete crx-backup backup
 * is refused and DIR is left as it was.
 */
export async function restoreFromRestic(options: ResticRestoreOptions): Promise<RestoreSummary> {
	const {repo, snapshot} = parseResticRef(options.ref)!;
	checkResticRepo(repo, 'restic:REPO#SNAPSHOT');
	const to = path.resolve(options.to);
	await checkRestoreDestination(to);
	const fetched = fs.mkdtempSync(path.join(nearestFolder(path.dirname(to)), `.${path.basename(to).slice(0, 80)}.restic-`));
	try {
		const started = Date.now();
		options.onEvent?.({type: 'step-start', step: 'fetch'});
		await runRestic({repo, signal: options.signal, args: ['restore', snapshot, '--target', fetched]});
		options.onEvent?.({type: 'step-end', step: 'fetch', durationMs: Date.now() - started});
		const record = await fetchedBackup(fetched);
		if (!record) throw usageError(`Snapshot ${snapshot} of ${shortPath(maskResticRepo(repo))} holds no complete crx-backup backup (pushed with \`crx-backup push\`); nothing was restored.`);
		return await restore({...options, backup: record, to, onEvent: options.onEvent});
	} finally {
		await removeTree(fetched).catch(() => undefined);
	}
}

/** What a pushed snapshot holds at its root: a directory backup's tree, or one zip. */
async function fetchedBackup(fetched: string): Promise<Awaited<ReturnType<typeof classify>>> {
	const names = fs.readdirSync(fetched);
	const zips = names.filter(name => name.endsWith('.zip'));
	const record = zips.length === 1 && names.length === 1 ? await classify(path.join(fetched, zips[0]!)) : await classify(fetched);
	return record && record.status === 'complete' && !record.leftover && record.manifest ? record : undefined;
}

function nearestFolder(dir: string): string {
	for (let at = dir; ; at = path.dirname(at)) {
		if (fs.statSync(at, {throwIfNoEntry: false})?.isDirectory() || at === path.dirname(at)) return at;
	}
}
