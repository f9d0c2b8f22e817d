import fs from 'node:fs';
import path from 'node:path';
import {walkWithoutFollowing, type WalkItem} from '../walk/tree-walk.js';
import {BackupTree, UnsafeBackupError} from '../entries/entry-rules.js';
import {throwIfAborted} from '../platform/errors.js';
import {openManifestEntries} from '../manifest/read.js';
import type {NoFollowTree} from '../walk/no-follow-tree.js';
import {MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';

/**
 * What a directory backup holds, for verify and both restore passes alike: its
 * manifest's entries (in path order), or for AEM's own backups, which carry
 * none, a walk that never follows a link. Every item has passed BackupTree, and
 * a manifest entry that lies about its shape (no size or CRC-32, an unknown
 * type) is refused: verify and restore read the same items, so they agree.
 */
export interface DirectoryItem {
	name: string;
	type: 'file' | 'dir' | 'symlink';
	/** From the manifest; a walk leaves them to the file itself. */
	mode?: number;
	mtime?: number;
	crc32?: string;
	size?: number;
	target?: string;
}

const CRC = /^[0-9a-f]{8}$/;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The manifest file, opened without following a link (it sits in the untrusted backup). */
export function manifestStream(root: string): fs.ReadStream | undefined {
	const file = path.join(root, MANIFEST_NAME);
	if (!fs.lstatSync(file, {throwIfNoEntry: false})?.isFile()) return undefined;
	// Non-blocking, and checked again once open: a FIFO swapped in after the lstat would block the open forever.
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
	if (!fs.fstatSync(fd).isFile()) {
		fs.closeSync(fd);
		throw new UnsafeBackupError(`${MANIFEST_NAME} changed into something other than a file while it was opened`);
	}
	return fs.createReadStream('', {fd});
}

export const hasManifest = (root: string) => fs.lstatSync(path.join(root, MANIFEST_NAME), {throwIfNoEntry: false})?.isFile() ?? false;

/** One manifest line as an item, or refused: the numbers restore checks and sets must all be there. */
export function manifestItem(entry: Record<string, unknown>): DirectoryItem {
	const name = typeof entry.path === 'string' ? entry.path : JSON.stringify(entry.path);
	if (entry.type !== 'file' && entry.type !== 'dir') throw new UnsafeBackupError(`${name} has type ${JSON.stringify(entry.type)} in the manifest, which is neither a file nor a folder`);
	if (typeof entry.path !== 'string' || !isCount(entry.mode) || typeof entry.mtimeMs !== 'number' || !Number.isFinite(entry.mtimeMs)) {
		throw new UnsafeBackupError(`${name} has no path, mode or time in the manifest`);
	}
	const base = {name, mode: entry.mode, mtime: entry.mtimeMs / 1000};
	if (entry.type === 'dir') return {...base, type: 'dir'};
	if (!isCount(entry.size) || typeof entry.crc32 !== 'string' || !CRC.test(entry.crc32)) {
		throw new UnsafeBackupError(`${name} has no size or CRC-32 in the manifest, so it cannot be checked`);
	}
	return {...base, type: 'file', size: entry.size, crc32: entry.crc32};
}

export async function * directoryItems(root: string, reader: NoFollowTree, signal?: AbortSignal): AsyncGenerator<DirectoryItem> {
	const input = manifestStream(root);
	if (input) {
		const tree = new BackupTree(true);
		const {entries} = await openManifestEntries(input);
		for await (const entry of entries) {
			throwIfAborted(signal);
			const item = manifestItem(entry as unknown as Record<string, unknown>);
			tree.add({name: item.name, kind: item.type});
			yield item;
		}
		tree.finish();
		return;
	}
	// A walk lists folders in no particular order: the tree holds every name (AEM's own backups only).
	const tree = new BackupTree(false);
	reader.statFolder(QUICKSTART); // A link there would send the whole walk elsewhere.
	const kinds: Record<WalkItem['kind'], DirectoryItem['type'] | 'special'> = {file: 'file', dir: 'dir', symlink: 'symlink', other: 'special'};
	for await (const walked of walkWithoutFollowing(path.join(root, QUICKSTART), signal)) {
		const name = `${QUICKSTART}/${walked.relative}`;
		const kind = kinds[walked.kind];
		const target = kind === 'symlink' ? reader.readlink(name) : undefined;
		tree.add({name, kind, target});
		if (kind !== 'special') yield {name, type: kind, target};
	}
	tree.finish();
}
