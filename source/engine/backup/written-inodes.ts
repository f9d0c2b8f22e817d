import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {lockPath} from './lock.js';
import {trustedCache} from './listing-cache.js';
import {createPrivateFile} from '../platform/state-dir.js';

/**
 * The inodes a directory backup wrote (copied, or hard-linked from the night
 * before), kept in this user's private state folder beside the repository's lock
 * once the backup is complete, with the identity of the manifest it wrote
 * (device, inode, size, mtime, ctime: a manifest changed since cannot keep them,
 * nobody can set a ctime back). The next night's --link-dest takes a CRC from
 * that manifest only for a file that is still one of these inodes: proven the
 * file this user's backup wrote and checksummed. Any other file is read and its
 * CRC computed (see PreviousLinker). One record per backup folder, the
 * newest few of a repository only (the nights a chain links from). `v1` is the layout.
 */
export class WrittenInodes {
	private inodes: number[] = [];

	add(ino: number): void {
		this.inodes.push(ino);
	}

	/** Saves the record of a complete backup; one that cannot be saved costs the next night only reads. */
	save(quickstart: string, root: string, dev: number, manifest: string): void {
		const file = writtenInodesFile(quickstart, root);
		let temp: string | undefined;
		try {
			const stat = fs.lstatSync(manifest);
			const sorted = Float64Array.from(this.inodes).sort();
			const header = JSON.stringify({root, dev, manifest: identity(stat), count: sorted.length});
			const created = createPrivateFile(file);
			temp = created.file;
			try {
				fs.writeSync(created.fd, `${header}\n`);
				const bytes = Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength);
				for (let done = 0; done < bytes.length;) done += fs.writeSync(created.fd, bytes, done, bytes.length - done);
			} finally {
				fs.closeSync(created.fd);
			}
			fs.renameSync(temp, file);
			keepNewest(quickstart);
		} catch {
			if (temp) fs.rmSync(temp, {force: true});
		}
	}
}

/** Records kept per repository: enough for a chain and a re-run of the last night. */
const kept = 4;

export function writtenInodesFile(quickstart: string, root: string): string {
	return `${recordsPrefix(quickstart)}${crypto.createHash('sha256').update(root).digest('hex').slice(0, 20)}.v1`;
}

const recordsPrefix = (quickstart: string) => `${lockPath(quickstart).replace(/\.lock$/, '')}.written-`;

/** Removes this repository's older records (files of ours in the state folder, named by us), keeping the newest. */
function keepNewest(quickstart: string): void {
	const prefix = recordsPrefix(quickstart);
	const dir = path.dirname(prefix);
	const records = fs.readdirSync(dir)
		.filter(name => name.startsWith(path.basename(prefix)) && name.endsWith('.v1'))
		.map(name => ({file: path.join(dir, name), stat: fs.lstatSync(path.join(dir, name), {throwIfNoEntry: false})}))
		.filter(record => record.stat?.isFile())
		.sort((a, b) => b.stat!.mtimeMs - a.stat!.mtimeMs);
	for (const record of records.slice(kept)) fs.rmSync(record.file, {force: true});
}

type Identity = [dev: number, ino: number, size: number, mtimeMs: number, ctimeMs: number];
const identity = (stat: fs.Stats): Identity => [stat.dev, stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs];

/** No repository comes near this many files: a bigger record is not ours to read. */
const maxInodes = 20_000_000;

/**
 * The sorted inodes the last backup of `quickstart` wrote, when that backup is
 * `root` on `dev` and its manifest is still exactly as written; otherwise
 * undefined (every linked file is then read).
 */
export function readWrittenInodes(quickstart: string, root: string, dev: number, manifest: string): Float64Array | undefined {
	const file = trustedCache(writtenInodesFile(quickstart, root));
	if (!file) return undefined;
	try {
		const data = fs.readFileSync(file);
		const newline = data.indexOf(0x0a);
		if (newline < 0 || newline > 64 * 1024) return undefined;
		const header = JSON.parse(data.subarray(0, newline).toString('utf8')) as {root?: unknown; dev?: unknown; manifest?: unknown; count?: unknown};
		const now = identity(fs.lstatSync(manifest));
		if (header.root !== root || header.dev !== dev || JSON.stringify(header.manifest) !== JSON.stringify(now)) return undefined;
		const count = header.count;
		if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > maxInodes || data.length - newline - 1 !== count * 8) return undefined;
		const copy = new Uint8Array(count * 8);
		copy.set(data.subarray(newline + 1));
		return new Float64Array(copy.buffer);
	} catch {
		return undefined;
	}
}

/** True when `ino` is one of the sorted `inodes`. */
export function holdsInode(inodes: Float64Array, ino: number): boolean {
	let low = 0;
	let high = inodes.length - 1;
	while (low <= high) {
		const middle = (low + high) >>> 1;
		const at = inodes[middle]!;
		if (at === ino) return true;
		if (at < ino) low = middle + 1;
		else high = middle - 1;
	}
	return false;
}
