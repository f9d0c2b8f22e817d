import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../support/trees.js';
import {inode, linkCounts, sentinelTree, settle} from '../support/link-dest.js';
import {chownTree, localUser} from '../support/local-user.js';
import zlib from 'node:zlib';

/**
 * The previous backup of --link-dest is untrusted input: whatever it holds, the
 * new backup never hard-links a file of the source (its link count and ctime stay),
 * never links through a symbolic link, and refuses one on another file system.
 */
let root: string;
let install: string;
let quickstart: string;
let mounted: string | undefined;
const env = () => ({CRX_BACKUP_STATE_DIR: path.join(root, 'state')});
const skip = ['repository/index', 'repository/cache'];
const manifestOf = (dir: string) => path.join(dir, 'crx-backup-manifest.jsonl');

/** Rewrites a backup's manifest: `header` changes its first line, `entry` each entry (as the tool writes them). */
function editManifest(dir: string, header: (line: Record<string, unknown>) => void, entry: (line: Record<string, unknown>) => void = () => undefined): void {
	const [first, ...rest] = fs.readFileSync(manifestOf(dir), 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as Record<string, unknown>);
	header(first!);
	for (const line of rest) entry(line);
	fs.writeFileSync(manifestOf(dir), [first, ...rest].map(line => JSON.stringify(line)).join('\n') + '\n');
}

/** Same size as `before`, other bytes, and the mtime back as it was: what the quick check cannot tell apart. */
function sameSizeOther(file: string, text: string): Buffer {
	const {mtime, size} = fs.statSync(file);
	const content = Buffer.alloc(size, ' ');
	content.write(text);
	const temp = `${file}.new`;
	fs.writeFileSync(temp, content, {mode: fs.statSync(file).mode & 0o7777});
	fs.utimesSync(temp, mtime, mtime);
	fs.renameSync(temp, file); // A new inode, not the one the backup wrote.
	return content;
}
const fresh = () => path.join(root, 'backups', `night-${Math.random().toString(16).slice(2, 8)}`);

/** A complete previous backup, then `tamper` run on its crx-quickstart folder. */
async function previousBackup(tamper: (copy: string) => void): Promise<string> {
	const dir = fresh();
	const result = await runCli(['backup', '--repo', install, '--target', dir], {env: env()});
	expect(result.code, result.stderr).toBe(0);
	tamper(path.join(dir, 'crx-quickstart'));
	return dir;
}

async function nightAfter(previous: string): Promise<{target: string; stderr: string}> {
	const source = sentinelTree(install);
	const links = linkCounts(quickstart);
	const target = fresh();
	const result = await runCli(['backup', '--repo', install, '--target', target, '--link-dest', previous], {env: env()});
	expect(result.code, result.stderr).toBe(0);
	expect(sentinelTree(install)).toBe(source);
	expect(linkCounts(quickstart)).toEqual(links);
	expect(contentOf(describeTree(path.join(target, 'crx-quickstart')))).toEqual(contentOf(describeTree(quickstart, {skip})));
	return {target, stderr: result.stderr};
}

beforeAll(async () => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
	fs.mkdirSync(path.join(root, 'backups'));
	await settle();
}, 10_000);
afterEach(() => {
	if (mounted) execFileSync('umount', [mounted]);
	mounted = undefined;
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('--link-dest with a hostile previous backup', () => {
	test('a folder or a file of it swapped for a link to the source\'s: nothing is linked through it, those files are copied', async () => {
		const rel = 'repository/segmentstore/data00000a.tar';
		const previous = await previousBackup(copy => {
			fs.rmSync(path.join(copy, 'conf'), {recursive: true});
			fs.symlinkSync(path.join(quickstart, 'conf'), path.join(copy, 'conf'));
			fs.rmSync(path.join(copy, rel));
			fs.symlinkSync(path.join(quickstart, rel), path.join(copy, rel));
		});
		const {target} = await nightAfter(previous);
		expect(fs.lstatSync(path.join(target, 'crx-quickstart/conf')).isDirectory()).toBe(true);
		expect(inode(path.join(target, 'crx-quickstart/conf/sling.properties'))).not.toBe(inode(path.join(quickstart, 'conf/sling.properties')));
		expect(fs.lstatSync(path.join(target, 'crx-quickstart', rel)).isFile()).toBe(true);
		expect(fs.lstatSync(path.join(previous, 'crx-quickstart', rel)).isSymbolicLink()).toBe(true);
	}, 20_000);

	test('a file of it hard-linked to the source\'s own file, another whose size no longer matches its manifest: copied, never linked', async () => {
		const shared = 'conf/sling.properties';
		const grown = 'bin/start';
		const previous = await previousBackup(copy => {
			fs.rmSync(path.join(copy, shared));
			fs.linkSync(path.join(quickstart, shared), path.join(copy, shared));
			const file = path.join(copy, grown);
			const {mtime} = fs.statSync(file);
			fs.writeFileSync(file, '#!/bin/sh\nrm -rf /\n');
			fs.utimesSync(file, mtime, mtime);
		});
		const before = sentinelTree(previous);
		const {target, stderr} = await nightAfter(previous);
		expect(fs.statSync(path.join(quickstart, shared)).nlink).toBe(2); // The tamperer's link, not ours.
		expect(inode(path.join(target, 'crx-quickstart', shared))).not.toBe(inode(path.join(quickstart, shared)));
		expect(inode(path.join(target, 'crx-quickstart', grown))).not.toBe(inode(path.join(previous, 'crx-quickstart', grown)));
		expect(stderr).toMatch(/1 files of .* were not what its manifest says: they were copied, not linked/);
		expect(sentinelTree(previous)).toBe(before);
		fs.rmSync(path.join(previous, 'crx-quickstart', shared));
	}, 20_000);

	test('--incremental never picks another user\'s planted "backup", dated in the future: none of its files is linked, no CRC of its manifest copied', async () => {
		const user = localUser();
		if (typeof user === 'string') return void console.warn(`Skipped: ${user}.`);
		const ours = await previousBackup(() => undefined);
		// The attacker's copy of it, with its own bin/start (same size and mtime) and a manifest that agrees with it.
		const planted = path.join(root, 'backups', 'zz-planted');
		execFileSync('cp', ['-a', ours, planted]);
		const evil = sameSizeOther(path.join(planted, 'crx-quickstart/bin/start'), '#!/bin/sh\nid>/tmp/x\n');
		editManifest(planted, header => Object.assign(header, {startedAt: '2099-01-01T00:00:00.000Z', finishedAt: '2099-01-01T01:00:00.000Z'}), line => {
			if (line.path === 'crx-quickstart/bin/start') line.crc32 = (zlib.crc32(evil) >>> 0).toString(16).padStart(8, '0');
		});
		chownTree(planted, user);
		const target = fresh();
		const result = await runCli(['backup', '--repo', install, '--target', target, '--incremental'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(fs.readFileSync(manifestOf(target), 'utf8').split('\n')[0]!).linkedFrom).toBe(fs.realpathSync(ours));
		expect(fs.readFileSync(path.join(target, 'crx-quickstart/bin/start'))).toEqual(fs.readFileSync(path.join(quickstart, 'bin/start')));
		const owners = new Set(fs.readdirSync(target, {recursive: true, encoding: 'utf8'}).map(rel => fs.lstatSync(path.join(target, rel)).uid));
		expect(owners).toEqual(new Set([process.getuid!()]));
		expect((await runCli(['verify', target], {env: env()})).code).toBe(0);
		// Named with --link-dest, it is refused in one sentence, nothing written.
		const named = fresh();
		const refused = await runCli(['backup', '--repo', install, '--target', named, '--link-dest', planted], {env: env()});
		expect(refused.code).toBe(2);
		expect(refused.stderr.trim()).toMatch(/^crx-backup: .*zz-planted cannot be linked from: it belongs to another user \(uid \d+\); --link-dest links only complete backups you wrote\.$/);
		expect(fs.existsSync(named)).toBe(false);
	}, 40_000);

	test('a file of the previous backup replaced by other bytes of the same size and mtime: its CRC is not taken from the manifest, the source\'s bytes are copied', async () => {
		const rel = 'repository/segmentstore/data00000a.tar';
		const previous = await previousBackup(copy => void sameSizeOther(path.join(copy, rel), 'not what was backed up'));
		const {target, stderr} = await nightAfter(previous); // The new backup holds the source's bytes, everywhere.
		expect(inode(path.join(target, 'crx-quickstart', rel))).not.toBe(inode(path.join(previous, 'crx-quickstart', rel)));
		expect(stderr).toMatch(/1 files of .* were not what its manifest says/);
		expect(inode(path.join(target, 'crx-quickstart/bin/start'))).toBe(inode(path.join(previous, 'crx-quickstart/bin/start')));
		expect((await runCli(['verify', target], {env: env()})).code).toBe(0);
	}, 30_000);

	test('a folder of the previous backup swapped for a link mid-run: the files after the swap are linked from the folder as it was opened, never from where the link leads', async () => {
		const {install: swapInstall, quickstart: swapQuickstart} = makeInstall(root, {name: 'swap', live: false});
		const segments = 'repository/segmentstore';
		const names = Array.from({length: 40}, (_, index) => `data${String(index + 2).padStart(5, '0')}a.tar`);
		for (const name of names) fs.writeFileSync(path.join(swapQuickstart, segments, name), `segment ${name}\n`.repeat(50));
		fs.writeFileSync(path.join(swapQuickstart, segments, 'data00001a.tar'), 'old');
		await settle();
		const previous = fresh();
		expect((await runCli(['backup', '--repo', swapInstall, '--target', previous], {env: env()})).code).toBe(0);
		// Changed since: stage 1 copies it, throttled by --delay, between the links before it and those after it.
		fs.writeFileSync(path.join(swapQuickstart, segments, 'data00001a.tar'), Buffer.alloc(8 * 1024 * 1024, 7));
		await settle();
		// The place the link leads: files of the same names, sizes and mtimes (another user's, or root-only ones).
		const elsewhere = path.join(root, 'elsewhere');
		execFileSync('cp', ['-a', path.join(previous, 'crx-quickstart', segments), elsewhere]);
		const elsewhereInodes = new Set(names.map(name => inode(path.join(elsewhere, name))));
		const target = fresh();
		const run = startCli(['backup', '--repo', swapInstall, '--target', target, '--link-dest', previous, '--delay', '2'], {env: env()});
		// While the throttle holds the copy of data00001a.tar, the folder it sits in is swapped for a link.
		const folder = path.join(previous, 'crx-quickstart', segments);
		await waitFor(() => fs.existsSync(path.join(target, 'crx-quickstart', segments, 'data00001a.tar')), 60_000, 'the throttled copy');
		fs.renameSync(folder, `${folder}.real`);
		fs.symlinkSync(elsewhere, folder);
		const result = await run.done;
		fs.rmSync(folder);
		fs.renameSync(`${folder}.real`, folder);
		expect(result.code, result.stderr).toBe(0);
		for (const name of names) {
			const made = path.join(target, 'crx-quickstart', segments, name);
			expect(elsewhereInodes.has(inode(made)), name).toBe(false);
			expect(inode(made), name).toBe(inode(path.join(folder, name)));
		}
		expect((await runCli(['verify', target], {env: env()})).code).toBe(0);
	}, 90_000);

	test('a previous backup on another file system is refused in one sentence, nothing written', async () => {
		const other = path.join(root, 'other-fs');
		fs.mkdirSync(other);
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', other]);
		mounted = other;
		const previous = path.join(other, 'night1');
		expect((await runCli(['backup', '--repo', install, '--target', previous], {env: env()})).code).toBe(0);
		const around = () => [path.join(root, 'backups'), install, other].map(dir => sentinelTree(dir)).join('\n');
		const before = around();
		const result = await runCli(['backup', '--repo', install, '--target', fresh(), '--link-dest', previous], {env: env()});
		expect(result.code).toBe(2);
		expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^crx-backup: .* is on another file system than .*: hard links cannot cross file systems/)]);
		expect(around()).toBe(before);
	}, 20_000);
});
