import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {afterAll, afterEach} from 'vitest';
import {serializeManifestEntry, serializeManifestHeader} from '../../source/engine/manifest/format.js';
import type {OwnerInfo} from '../../source/engine/platform/owner.js';
import type {ManifestEntry, ManifestHeader} from '../../source/engine/types.js';
import {makeInstall} from './trees.js';
import {recordMade} from '../../source/engine/catalog/provenance.js';

/**
 * Hand-made backups for the catalog, verify and restore tests, written in the
 * layout the backup engine produces, so these tests do not wait on it.
 */

const made: string[] = [];
afterEach(() => {
	for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
});

/** A temp folder removed after the test. */
export function tempDir(prefix = 'crx-catalog-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	made.push(dir);
	return dir;
}

const crcOf = (data: Buffer) => (zlib.crc32(data) >>> 0).toString(16).padStart(8, '0');

/** The install tree the catalog, verify and restore tests count (14 files): trees.ts's one builder, without a live repository's extras. */
export const makeQuickstart = (root: string, name = 'AEM') => makeInstall(root, {name, live: false, restoreEdges: true});

/** Every path below `root` with its kind, permission bits, size and digest: what "restored equals source" compares. */
export function snapshot(root: string, options: {modes?: boolean} = {}): Record<string, string> {
	const result: Record<string, string> = {};
	const walk = (dir: string, prefix: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const full = path.join(dir, name);
			const rel = prefix ? `${prefix}/${name}` : name;
			const stat = fs.lstatSync(full);
			const mode = options.modes === false ? '' : ` ${(stat.mode & 0o777).toString(8)}`;
			if (stat.isSymbolicLink()) result[rel] = `link ${fs.readlinkSync(full)}`;
			else if (stat.isDirectory()) {
				result[rel] = `dir${mode}`;
				walk(full, rel);
			} else result[rel] = `file${mode} ${stat.size} ${crypto.createHash('sha1').update(fs.readFileSync(full)).digest('hex')}`;
		}
	};
	walk(root, '');
	return result;
}

export function header(overrides: Partial<ManifestHeader> = {}): ManifestHeader {
	const startedAt = overrides.startedAt ?? '2026-01-01T10:00:00.000Z';
	return {
		format: 'crx-backup-manifest', formatVersion: 1, tool: 'crx-backup', toolVersion: '0.1.0', source: '/opt/AEM/crx-quickstart',
		kind: 'directory', startedAt, finishedAt: startedAt, durationMs: 1000, writesBlocked: false, writesBlockedMs: 0, delayMs: 0,
		stages: [], exclude: [], files: 0, bytes: 0, over24h: false, ...overrides,
	};
}

/** The manifest of a quickstart tree (original modes), as the backup engine writes it. */
export function manifestOf(quickstart: string, overrides: Partial<ManifestHeader> = {}): string {
	const entries: ManifestEntry[] = [];
	let bytes = 0;
	const walk = (dir: string, rel: string) => {
		const stat = fs.lstatSync(dir);
		entries.push({path: rel, type: 'dir', mode: stat.mode & 0o7777, mtimeMs: stat.mtimeMs});
		for (const name of fs.readdirSync(dir).sort()) {
			const full = path.join(dir, name);
			const child = fs.lstatSync(full);
			if (child.isDirectory()) walk(full, `${rel}/${name}`);
			else {
				const data = fs.readFileSync(full);
				bytes += data.length;
				entries.push({path: `${rel}/${name}`, type: 'file', size: data.length, mode: child.mode & 0o7777, mtimeMs: child.mtimeMs, crc32: crcOf(data)});
			}
		}
	};
	walk(quickstart, 'crx-quickstart');
	const files = entries.filter(entry => entry.type === 'file').length;
	return serializeManifestHeader(header({files, bytes, ...overrides})) + entries.map(serializeManifestEntry).join('');
}

/**
 * A directory backup of `quickstart` at `target`: the copy holds owner bits only
 * (0755→0700), the manifest the original modes. `marker` writes backupInProgress.txt.
 */
export function makeDirectoryBackup(target: string, quickstart: string, options: {marker?: OwnerInfo | ''; manifest?: Partial<ManifestHeader> | false} = {}): string {
	fs.mkdirSync(target, {recursive: true});
	const copy = path.join(target, 'crx-quickstart');
	fs.cpSync(quickstart, copy, {recursive: true, preserveTimestamps: true});
	const own = (dir: string) => {
		for (const name of fs.readdirSync(dir)) {
			const full = path.join(dir, name);
			const stat = fs.lstatSync(full);
			if (stat.isDirectory()) own(full);
			fs.chmodSync(full, stat.mode & 0o700);
		}
	};
	own(copy);
	fs.chmodSync(copy, fs.statSync(quickstart).mode & 0o700);
	if (options.manifest !== false) fs.writeFileSync(path.join(target, 'crx-backup-manifest.jsonl'), manifestOf(quickstart, options.manifest || {}));
	if (options.marker !== undefined) fs.writeFileSync(path.join(target, 'backupInProgress.txt'), options.marker === '' ? '' : JSON.stringify(options.marker));
	return target;
}

const zipScript = `
import json, os, sys, zipfile
spec = json.load(sys.stdin)
with zipfile.ZipFile(spec['zip'], 'w', zipfile.ZIP_DEFLATED if spec.get('deflate', True) else zipfile.ZIP_STORED) as z:
    for e in spec['entries']:
        info = zipfile.ZipInfo(e['name'], date_time=(2026, 1, 1, 10, 0, 0))
        info.create_system = e.get('system', 3)
        info.external_attr = e.get('external', 0)
        info.compress_type = zipfile.ZIP_DEFLATED if spec.get('deflate', True) else zipfile.ZIP_STORED
        data = bytes.fromhex(e['hex']) if 'hex' in e else e.get('text', '').encode()
        z.writestr(info, data)
`;

export interface ZipSpecEntry {
	name: string;
	text?: string;
	hex?: string;
	/** 3 = unix (default), 0 = MS-DOS (what Java writes). */
	system?: number;
	/** External attributes: mode << 16 for unix entries, 0 for Java ones. */
	external?: number;
}

/** Writes a zip with python3's zipfile: exact control over names, hosts and modes, hostile ones included. */
export function pythonZip(zip: string, entries: ZipSpecEntry[], options: {deflate?: boolean} = {}): string {
	execFileSync('python3', ['-c', zipScript], {input: JSON.stringify({zip, entries, deflate: options.deflate ?? true})});
	return zip;
}

/**
 * A zip backup of `quickstart`: our layout (manifest first, unix modes) or, with
 * `java`, AEM's (no manifest, MS-DOS host, external attributes 0).
 */
export function makeZipBackup(zip: string, quickstart: string, options: {java?: boolean; deflate?: boolean; manifest?: Partial<ManifestHeader>} = {}): string {
	const entries: ZipSpecEntry[] = [];
	if (!options.java) entries.push({name: 'crx-backup-manifest.jsonl', text: manifestOf(quickstart, {kind: 'zip', ...options.manifest}), external: (0o100600 << 16) >>> 0});
	const walk = (dir: string, rel: string) => {
		const stat = fs.lstatSync(dir);
		entries.push({name: `${rel}/`, ...(options.java ? {system: 0} : {external: ((0o040000 | (stat.mode & 0o777)) << 16) >>> 0})});
		for (const name of fs.readdirSync(dir).sort()) {
			const full = path.join(dir, name);
			const child = fs.lstatSync(full);
			if (child.isDirectory()) walk(full, `${rel}/${name}`);
			else entries.push({name: `${rel}/${name}`, hex: fs.readFileSync(full).toString('hex'), ...(options.java ? {system: 0} : {external: ((0o100000 | (child.mode & 0o777)) << 16) >>> 0})});
		}
	};
	walk(quickstart, 'crx-quickstart');
	return pythonZip(zip, entries, {deflate: options.deflate});
}

/** Flips one byte inside the stored data of `entryName` (the zip must be written with deflate: false). */
export function corruptEntry(zip: string, entryName: string): void {
	const data = fs.readFileSync(zip);
	const name = Buffer.from(entryName);
	// The local header: signature, then the name at offset 30; the data follows the name and the extra field.
	for (let at = data.indexOf('PK\u0003\u0004'); at !== -1; at = data.indexOf('PK\u0003\u0004', at + 4)) {
		const nameLength = data.readUInt16LE(at + 26);
		const extraLength = data.readUInt16LE(at + 28);
		if (data.subarray(at + 30, at + 30 + nameLength).equals(name)) {
			data[at + 30 + nameLength + extraLength + 10]! ^= 0xff;
			fs.writeFileSync(zip, data);
			return;
		}
	}
	throw new Error(`no entry ${entryName} in ${zip}`);
}

let standIn: ChildProcess | undefined;
afterAll(() => {
	standIn?.kill();
	standIn = undefined;
});

/**
 * A live process that is a crx-backup one as owner.ts tells (its name): a
 * record naming any other process, this test runner included, holds nothing.
 */
function liveCrxBackupPid(): number {
	if (!standIn) {
		standIn = spawn('sleep', ['3600'], {argv0: 'crx-backup', stdio: 'ignore'});
		standIn.unref();
	}
	return standIn.pid!;
}

/** An owner record for a crx-backup process that is alive or long gone. */
export function ownerRecord(alive: boolean): OwnerInfo {
	return {pid: alive ? liveCrxBackupPid() : 2_000_000_000, host: os.hostname(), startedAt: new Date().toISOString()};
}

/**
 * Records hand-made backups in `stateDir` as crx-backup records the backups it makes (the
 * engine's own recordMade), so prune and delete may remove them as they would a real one. A
 * directory backup's manifest is dated now first: the engine writes it last, after every file,
 * and a test may have changed a file after making the backup.
 */
export function markMade(stateDir: string, ...backups: string[]): void {
	// A second ahead: utimes takes whole milliseconds, a file just changed may carry a fraction more.
	markMadeAt(stateDir, new Date(Date.now() + 1000), ...backups);
}

/** markMade with a directory backup's manifest dated `manifestAt` (later than anything a test changes in it meanwhile). */
export function markMadeAt(stateDir: string, manifestAt: Date, ...backups: string[]): void {
	const saved = process.env.CRX_BACKUP_STATE_DIR;
	process.env.CRX_BACKUP_STATE_DIR = stateDir;
	fs.mkdirSync(stateDir, {recursive: true, mode: 0o700});
	fs.chmodSync(stateDir, 0o700);
	try {
		for (const backup of backups) {
			const kind = backup.endsWith('.zip') ? 'zip' : 'directory';
			let header: ManifestHeader | undefined;
			if (kind === 'directory') {
				const manifest = path.join(backup, 'crx-backup-manifest.jsonl');
				fs.utimesSync(manifest, manifestAt, manifestAt);
				header = JSON.parse(fs.readFileSync(manifest, 'utf8').split('\n')[0]!) as ManifestHeader;
			} else {
				header = JSON.parse(execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("crx-backup-manifest.jsonl").decode().split("\\n")[0])', backup], {encoding: 'utf8'})) as ManifestHeader;
			}
			recordMade({path: backup, kind, source: header.source, startedAt: header.startedAt});
		}
	} finally {
		if (saved === undefined) delete process.env.CRX_BACKUP_STATE_DIR;
		else process.env.CRX_BACKUP_STATE_DIR = saved;
	}
}
