import path from 'node:path';
import {find, resolveBackup} from '../catalog/list.js';
import {failure, usageError} from '../platform/errors.js';
import {checkResticRepo, runRestic} from './restic-process.js';
import {maskResticRepo} from './repository.js';
import {repositoryTag, snapshotTags} from './tags.js';
import type {PushEvent, PushSummary} from './types.js';
import type {BackupRef, ListOptions} from '../types.js';

export interface PushOptions {
	backup: BackupRef;
	/** The restic repository; its password comes from RESTIC_PASSWORD_FILE / _COMMAND / RESTIC_PASSWORD only. */
	resticRepo: string;
	/** Where a BACKUP given by name is looked up. */
	list?: ListOptions;
	signal?: AbortSignal;
	onEvent?: (event: PushEvent) => void;
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Stores a finished backup as a restic snapshot, tagged with the repository it
 * backs up and its name. A directory backup is pushed as its tree, restic run
 * inside it on `.`, so every night's snapshot holds `crx-quickstart/…` at its root
 * and the datastore's immutable records (and every unchanged file) deduplicate
 * across nights; a zip is pushed as the one file. restic's JSON status lines
 * become the 'push' step's progress.
 */
export async function pushBackup(options: PushOptions): Promise<PushSummary> {
	const emit = (event: PushEvent) => options.onEvent?.(event);
	const repo = checkResticRepo(options.resticRepo);
	const record = typeof options.backup === 'string' ? await find(options.backup, options.list ?? {}) : await resolveBackup(options.backup);
	if (record.status !== 'complete' || record.leftover) {
		throw usageError(`${record.path} is not a complete backup (${record.leftover ?? record.status}): only a finished backup is pushed.`);
	}
	const tags = snapshotTags(record.manifest?.source, record.name);
	const [cwd, what] = record.kind === 'directory' ? [record.path, '.'] : [path.dirname(record.path), path.basename(record.path)];
	const started = Date.now();
	emit({type: 'step-start', step: 'push'});
	// restic keeps each snapshot's absolute path, which names the night: its own parent lookup never finds
	// yesterday's, so the newest snapshot of this repository is named (unchanged files are then not re-read).
	const parent = record.kind === 'directory' && record.manifest ? await latestSnapshot(repo, repositoryTag(record.manifest.source), options.signal) : undefined;
	let summary: Record<string, unknown> | undefined;
	await runRestic({
		repo, cwd, signal: options.signal, args: ['backup', '--json', '--tag', tags.join(','), ...(parent ? ['--parent', parent] : []), '--', what],
		onJson: message => {
			if (message.message_type === 'summary') summary = message;
			if (message.message_type !== 'status') return;
			const current = Array.isArray(message.current_files) ? String(message.current_files[0] ?? '') : undefined;
			emit({
				type: 'progress', step: 'push', percent: Math.min(100, num(message.percent_done) * 100),
				bytesDone: num(message.bytes_done), bytesTotal: num(message.total_bytes), filesDone: num(message.files_done), filesTotal: num(message.total_files),
				...(current ? {file: current} : {}),
			});
		},
	});
	if (!summary) throw failure('restic backup finished without its summary line: crx-backup needs restic 0.10 or newer.');
	const result: PushSummary = {
		backup: record.path, resticRepo: maskResticRepo(repo), snapshotId: String(summary.snapshot_id ?? ''), tags,
		filesNew: num(summary.files_new), filesChanged: num(summary.files_changed), filesUnmodified: num(summary.files_unmodified),
		dataAdded: num(summary.data_added), totalFiles: num(summary.total_files_processed), totalBytes: num(summary.total_bytes_processed),
		durationMs: Date.now() - started,
	};
	emit({type: 'step-end', step: 'push', durationMs: result.durationMs, files: result.totalFiles, bytes: result.totalBytes});
	emit({type: 'done', summary: result});
	return result;
}

/** The newest snapshot carrying `tag`, or undefined (the first push). */
async function latestSnapshot(repo: string, tag: string, signal?: AbortSignal): Promise<string | undefined> {
	const out = await runRestic({repo, signal, args: ['snapshots', '--json', '--tag', tag, '--latest', '1']});
	const snapshots = JSON.parse(out || '[]') as Array<{id: string; time: string}>;
	return snapshots.sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0]?.id;
}
