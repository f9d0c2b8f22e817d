import {execFileSync, spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach} from 'vitest';
import {cliPath, collectOutput, projectRoot, runCli, type CliResult} from './cli.js';

/**
 * Shared by the reliability suite (test/faults): temp folders removed after each
 * test, exact tree digests (mtimes included), the CLI's `list --json`, a peak-RSS
 * probe for the CLI process, and tmpfs mounts for disk-full runs.
 */

const made: string[] = [];
const mounts: string[] = [];
afterEach(() => {
	for (const dir of mounts.splice(0)) unmount(dir);
	for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
}, 300_000); // The scale tests leave 400,000 files behind.

/** A temp folder removed after the test (realpath: the CLI prints real paths). */
export function faultDir(prefix = 'crx-fault-'): string {
	const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
	made.push(dir);
	return dir;
}

/** The lock folder lives outside the repository: one per test, so parallel files never share it. */
export const stateEnv = (root: string) => ({CRX_BACKUP_STATE_DIR: path.join(root, 'state')});

export const EXCLUDED = ['repository/index', 'repository/cache'];
const isExcluded = (rel: string) => EXCLUDED.some(prefix => rel === prefix || rel.startsWith(`${prefix}/`));

export interface DigestOptions {
	/** Keep mtimes (exact, in ms with fractions) and permission bits. Default true. */
	meta?: boolean;
	/** Leave out repository/index and repository/cache (what a backup holds). */
	backupView?: boolean;
	/** Leave out these names at the top. */
	skipTop?: string[];
	/** As a restore gives the tree back: also without a running AEM's conf/cq.pid and repo.lock (never restored). */
	restoreView?: boolean;
}

/**
 * Every path below `root` → type, permission bits, size, mtime and content
 * digest (links not followed). A Record, so a failing comparison shows the paths.
 */
export function treeDigest(root: string, options: DigestOptions = {}): Record<string, string> {
	const meta = options.meta ?? true;
	const result: Record<string, string> = {};
	const walk = (dir: string, rel: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const childRel = rel ? `${rel}/${name}` : name;
			if (!rel && options.skipTop?.includes(name)) continue;
			if (options.backupView && isExcluded(childRel)) continue;
			const full = path.join(dir, name);
			const stat = fs.lstatSync(full);
			const extra = meta ? ` ${(stat.mode & 0o7777).toString(8)} ${stat.mtimeMs}` : '';
			if (stat.isSymbolicLink()) result[childRel] = `link ${fs.readlinkSync(full)}`;
			else if (stat.isDirectory()) {
				result[childRel] = `dir${meta ? ` ${(stat.mode & 0o7777).toString(8)}` : ''}`;
				walk(full, childRel);
			} else if (stat.isFile()) result[childRel] = `file${extra} ${stat.size} ${sha1File(full)}`;
			else result[childRel] = `other${extra}`;
		}
	};
	walk(root, '');
	if (options.restoreView) for (const rel of ['conf/cq.pid', 'repository/segmentstore/repo.lock']) delete result[rel];
	return result;
}

export function sha1File(file: string): string {
	const hash = crypto.createHash('sha1');
	const fd = fs.openSync(file, 'r');
	const buffer = Buffer.allocUnsafe(1 << 20);
	try {
		for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
	} finally {
		fs.closeSync(fd);
	}
	return hash.digest('hex');
}

/** Permission bits of every path below `root`: what restore and unzip give back. */
export function modesOf(root: string): Record<string, string> {
	const result: Record<string, string> = {};
	const walk = (dir: string, rel: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const childRel = rel ? `${rel}/${name}` : name;
			const stat = fs.lstatSync(path.join(dir, name));
			result[childRel] = (stat.mode & 0o777).toString(8);
			if (stat.isDirectory()) walk(path.join(dir, name), childRel);
		}
	};
	walk(root, '');
	return result;
}

export interface ListedRecord {
	path: string;
	name: string;
	kind: 'zip' | 'directory';
	status: 'complete' | 'incomplete' | 'running';
	leftover?: 'staging' | 'partial-zip';
}

/** `crx-backup list --dir DIR --json`, as an operator would run it. */
export async function listDir(dir: string, env: NodeJS.ProcessEnv): Promise<ListedRecord[]> {
	const result = await runCli(['list', '--dir', dir, '--json'], {env});
	if (result.code !== 0) throw new Error(`list failed (${result.code}): ${result.stderr}`);
	return JSON.parse(result.stdout) as ListedRecord[];
}

/** The lines the CLI prints as its error (`crx-backup: …`), progress lines left out. */
export const errorLines = (result: CliResult) => result.stderr.split('\n').filter(line => line.startsWith('crx-backup:'));

const here = path.dirname(fileURLToPath(import.meta.url));
const rssPreload = path.join(here, 'rss-preload.mjs');

/**
 * Runs the CLI with a preload that writes the process's peak RSS (KiB, worker
 * threads included: they share the process) to a file when it exits. No
 * dependency on /usr/bin/time.
 */
export async function runCliMeasured(args: string[], options: {env?: NodeJS.ProcessEnv} = {}): Promise<CliResult & {peakRssKiB: number}> {
	const file = path.join(os.tmpdir(), `crx-rss-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
	const env = {...process.env, NO_COLOR: '1', ...options.env, NODE_OPTIONS: `--import=${rssPreload}`, CRX_TEST_RSS_FILE: file};
	// Run as an operator's `crx-backup` runs: with the shebang's node flags (a 4 MiB young generation among them;
	// they cannot go in NODE_OPTIONS, and V8 ignores a young-generation size set after start-up).
	const child = spawn(process.execPath, [...shebangFlags(), cliPath, ...args], {cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe']});
	const result = await collectOutput(child);
	const peakRssKiB = Number(fs.readFileSync(file, 'utf8'));
	fs.rmSync(file, {force: true});
	return {...result, peakRssKiB};
}

/** The node flags of the built CLI's shebang (`#!/usr/bin/env -S node FLAGS`). */
export function shebangFlags(): string[] {
	const first = fs.readFileSync(cliPath, 'utf8').split('\n', 1)[0] ?? '';
	const match = /^#!.*\bnode\b(.*)$/.exec(first);
	return match ? match[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

/** Mounts a tmpfs of `size` on `dir` (unmounted after the test); a reason string when this machine does not allow it. */
export function mountTmpfs(dir: string, size: string): string | undefined {
	fs.mkdirSync(dir, {recursive: true});
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], {stdio: 'pipe'});
	} catch (error) {
		return `mounting a tmpfs is not permitted here (${String((error as {stderr?: Buffer}).stderr ?? error).trim()})`;
	}
	mounts.push(dir);
	return undefined;
}

function unmount(dir: string): void {
	try {
		execFileSync('umount', [dir], {stdio: 'pipe'});
	} catch {
		execFileSync('umount', ['-l', dir], {stdio: 'pipe'});
	}
}

/** Whether this machine may mount a tmpfs (decided once, for `test.skipIf`). */
export function canMountTmpfs(): {ok: boolean; reason: string} {
	if (process.platform !== 'linux') return {ok: false, reason: 'tmpfs mounts need Linux'};
	const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-mount-probe-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], {stdio: 'pipe'});
		execFileSync('umount', [probe], {stdio: 'pipe'});
		return {ok: true, reason: ''};
	} catch (error) {
		return {ok: false, reason: `mount -t tmpfs is not permitted here: ${String((error as {stderr?: Buffer}).stderr ?? error).trim()}`};
	} finally {
		fs.rmSync(probe, {recursive: true, force: true});
	}
}

/** A small install with `files` random files (incompressible, so a zip is as big as its data). */
export function randomInstall(root: string, files: Array<[string, number]>, mode = 0o644): {install: string; quickstart: string} {
	const install = path.join(root, 'AEM');
	const quickstart = path.join(install, 'crx-quickstart');
	fs.mkdirSync(path.join(quickstart, 'repository', 'segmentstore'), {recursive: true});
	for (const [rel, size] of files) {
		const full = path.join(quickstart, rel);
		fs.mkdirSync(path.dirname(full), {recursive: true});
		fs.writeFileSync(full, crypto.randomBytes(size), {mode});
	}
	return {install, quickstart};
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
