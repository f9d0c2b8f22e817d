import fs from 'node:fs';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {parseManifestHeader} from '../manifest/format.js';
import {QUICKSTART} from '../platform/paths.js';
import {inScope, type PhaseScope} from './scope.js';
import {byName, comparePaths} from './source-walk.js';
import type {PreviousState, StateRecord} from './state-file.js';
import type {ManifestEntry} from '../types.js';

/** Which part of the tree a phase covers: all but `sub`, or only `sub`. */

/**
 * Stage 1 of a re-sync into an existing directory backup: what the target holds
 * (walked without following links), joined with what the previous manifest says
 * of each file. A file whose size and mtime agree with its manifest entry is a
 * "quick" record: unchanged if the source agrees too (rsync's quick check), with
 * the manifest's CRC. Anything else is copied again.
 */
export class PreviousTarget implements PreviousState {
	private readonly walk: Generator<StateRecord>;
	private readonly manifest: Generator<ManifestEntry> | undefined;
	private head: StateRecord | undefined;
	private manifestHead: ManifestEntry | undefined;

	constructor(root: string, manifestFile: string | undefined, scope: PhaseScope) {
		this.walk = walkTarget(root, scope.only ?? '', scope);
		this.manifest = manifestFile ? manifestEntries(manifestFile, scope) : undefined;
		this.manifestHead = this.nextEntry();
		this.head = this.join(this.walk.next().value ?? undefined);
	}

	peek(): StateRecord | undefined {
		return this.head;
	}

	next(): StateRecord | undefined {
		const record = this.head;
		this.head = this.join(this.walk.next().value ?? undefined);
		return record;
	}

	close(): void {
		this.walk.return(undefined);
		this.manifest?.return(undefined);
	}

	/** A damaged previous manifest only costs a full copy: stop reading it. */
	private nextEntry(): ManifestEntry | undefined {
		try {
			return this.manifest?.next().value ?? undefined;
		} catch {
			return undefined;
		}
	}

	private join(record: StateRecord | undefined): StateRecord | undefined {
		if (!record || record.type !== 'file') return record;
		while (this.manifestHead && comparePaths(this.manifestHead.path, record.rel) < 0) this.manifestHead = this.nextEntry();
		const entry = this.manifestHead;
		if (entry?.type === 'file' && entry.path === record.rel && entry.size === record.size && Math.abs(entry.mtimeMs - record.mtimeMs) < 1) {
			return {rel: record.rel, type: 'file', size: record.size, mtimeMs: entry.mtimeMs, ctimeMs: record.ctimeMs, ino: record.ino, mode: entry.mode, crc32: Number.parseInt(entry.crc32, 16), quick: true, racy: false};
		}
		record.racy = true; // Unknown content: never kept.
		return record;
	}
}

function* walkTarget(root: string, rel: string, scope: PhaseScope): Generator<StateRecord> {
	const dir = rel ? path.join(root, rel) : root;
	if (rel && scope.only === rel) {
		const stat = fs.lstatSync(dir, {throwIfNoEntry: false});
		if (!stat) return;
		yield record(rel, stat);
		if (!stat.isDirectory()) return;
	}
	let children: fs.Dirent[];
	try {
		children = fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => byName(a.name, b.name));
	} catch {
		return;
	}
	for (const child of children) {
		const childRel = rel ? `${rel}/${child.name}` : child.name;
		if (!inScope(childRel, scope)) continue;
		// A folder's record needs only its type (the type the directory entry gives, from lstat when the file system
		// does not say): one lstat less per folder of the target.
		if (child.isDirectory()) {
			yield {rel: childRel, type: 'dir', size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0, mode: 0, crc32: 0, racy: false};
			yield* walkTarget(root, childRel, {skip: scope.skip});
			continue;
		}
		const stat = fs.lstatSync(`${dir}/${child.name}`, {throwIfNoEntry: false});
		if (!stat) continue;
		yield record(childRel, stat);
	}
}

function record(rel: string, stat: fs.Stats): StateRecord {
	const type = stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
	return {rel, type, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, mode: stat.mode, crc32: 0, racy: false};
}

/** The manifest's entries in the phase's scope, paths made relative to crx-quickstart, read a chunk at a time. */
function* manifestEntries(file: string, scope: PhaseScope): Generator<ManifestEntry> {
	const prefix = `${QUICKSTART}/`;
	let first = true;
	for (const line of lines(file)) {
		if (first) {
			first = false;
			parseManifestHeader(line);
			continue;
		}
		const entry = JSON.parse(line) as ManifestEntry;
		if (!entry.path.startsWith(prefix)) continue;
		const rel = entry.path.slice(prefix.length);
		if (!inScope(rel, scope)) continue;
		entry.path = rel; // A fresh object from JSON.parse: changed in place (a spread per entry costs microseconds).
		yield entry;
	}
}

function* lines(file: string): Generator<string> {
	const fd = fs.openSync(file, 'r');
	const buffer = Buffer.allocUnsafe(256 * 1024);
	const decoder = new StringDecoder('utf8'); // A character split between two reads stays whole.
	let rest = '';
	try {
		for (;;) {
			const read = fs.readSync(fd, buffer, 0, buffer.length, null);
			if (read === 0) break;
			const text = rest + decoder.write(buffer.subarray(0, read));
			const parts = text.split('\n');
			rest = parts.pop()!;
			for (const part of parts) if (part) yield part;
		}
		if (rest) yield rest;
	} finally {
		fs.closeSync(fd);
	}
}
