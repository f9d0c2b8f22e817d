import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../support/trees.js';
import {inode, linkCounts, sentinelTree, settle} from '../support/link-dest.js';

let root: string;
let install: string;
let quickstart: string;
const env = () => ({CRX_BACKUP_STATE_DIR: path.join(root, 'state')});
const backups = () => path.join(root, 'backups');
const night = (name: string) => path.join(backups(), name);
const skip = ['repository/index', 'repository/cache'];
const datastoreRecord = () => {
	const [file] = fs.readdirSync(path.join(quickstart, 'repository/datastore'), {recursive: true, withFileTypes: true}).filter(entry => entry.isFile());
	return path.relative(quickstart, path.join(file!.parentPath, file!.name));
};

beforeAll(async () => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
	fs.mkdirSync(backups());
	await settle();
	const first = await runCli(['backup', '--repo', install, '--target', night('night1')], {env: env()});
	expect(first.code, first.stderr).toBe(0);
}, 30_000);
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('backup --link-dest / --incremental', () => {
	test('unchanged files are hard links to the previous backup, changed ones new copies; the source and the previous backup are untouched', async () => {
		const sourceLinks = linkCounts(quickstart);
		const previous = sentinelTree(night('night1'));
		fs.appendFileSync(path.join(quickstart, 'logs/error.log'), 'night 2\n');
		fs.chmodSync(path.join(quickstart, 'conf/sling.properties'), 0o640); // Same bytes, new mode: copied, so its mode is right.
		fs.writeFileSync(path.join(quickstart, 'logs/new.log'), 'new\n');
		// The next tests expect night2's copies of these files to be linked by night3 and night4: a file read within
		// two seconds of its change is racy and rightly copied again by the next night, so let the change settle
		// first instead of relying on a slow machine to take that long.
		await settle();
		const changedLinks = linkCounts(quickstart);
		const result = await runCli(['backup', '--repo', install, '--target', night('night2'), '--link-dest', night('night1'), '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);

		const copy = path.join(night('night2'), 'crx-quickstart');
		const old = path.join(night('night1'), 'crx-quickstart');
		expect(contentOf(describeTree(copy))).toEqual(contentOf(describeTree(quickstart, {skip})));
		for (const rel of ['repository/segmentstore/data00000a.tar', 'bin/start', datastoreRecord()]) {
			expect(inode(path.join(copy, rel)), rel).toBe(inode(path.join(old, rel)));
			expect(fs.statSync(path.join(copy, rel)).nlink).toBe(2);
		}
		for (const rel of ['logs/error.log', 'conf/sling.properties']) expect(inode(path.join(copy, rel)), rel).not.toBe(inode(path.join(old, rel)));
		expect(fs.statSync(path.join(copy, 'conf/sling.properties')).mode & 0o777).toBe(0o600);
		// Only the changed and new files were read from the source in stage 1.
		const summary = JSON.parse(result.stdout);
		expect(summary.stages[0].files).toBe(3);
		const header = JSON.parse(fs.readFileSync(path.join(night('night2'), 'crx-backup-manifest.jsonl'), 'utf8').split('\n')[0]!);
		expect(header.linkedFrom).toBe(fs.realpathSync(night('night1')));

		// Never linked, never touched: every source file keeps its link count (1) and ctime.
		expect(linkCounts(quickstart)).toEqual(changedLinks);
		expect([...sourceLinks.values()].every(value => value.startsWith('1 '))).toBe(true);
		expect(sentinelTree(night('night1'))).toBe(previous);
		for (const name of ['night1', 'night2']) expect((await runCli(['verify', night(name)], {env: env()})).code).toBe(0);
		const restored = path.join(root, 'restored');
		expect((await runCli(['restore', night('night2'), '--to', restored], {env: env()})).code).toBe(0);
		// A running AEM's repo.lock is never restored (restore/rules.ts).
		expect(contentOf(describeTree(path.join(restored, 'crx-quickstart'), {skip: ['.crx-restored']}))).toEqual(contentOf(describeTree(quickstart, {skip: [...skip, 'repository/segmentstore/repo.lock']})));
	}, 30_000);

	test('--incremental links to the newest complete directory backup of the repository beside the target', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', night('night3'), '--incremental', '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		const header = JSON.parse(fs.readFileSync(path.join(night('night3'), 'crx-backup-manifest.jsonl'), 'utf8').split('\n')[0]!);
		expect(header.linkedFrom).toBe(fs.realpathSync(night('night2')));
		const rel = 'logs/error.log';
		expect(inode(path.join(night('night3'), 'crx-quickstart', rel))).toBe(inode(path.join(night('night2'), 'crx-quickstart', rel)));
		expect(linkCounts(quickstart).get(rel)!.startsWith('1 ')).toBe(true);
	}, 30_000);

	test('a linked file that changes before stage 4 is replaced in the new backup, never written through into the previous one', async () => {
		const rel = 'repository/segmentstore/journal.log';
		const previous = sentinelTree(night('night3'));
		const old = fs.readFileSync(path.join(night('night3'), 'crx-quickstart', rel));
		// The freeze command runs between stage 3 and stage 4: the journal, linked since stage 1, grows then.
		const freeze = `printf 'moved on\\n' >> '${path.join(quickstart, rel)}'`;
		const result = await runCli(['backup', '--repo', install, '--target', night('night4'), '--link-dest', night('night3'), '--freeze-cmd', freeze, '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout).stages[3].files).toBe(1);
		expect(fs.readFileSync(path.join(night('night4'), 'crx-quickstart', rel))).toEqual(fs.readFileSync(path.join(quickstart, rel)));
		expect(fs.readFileSync(path.join(night('night3'), 'crx-quickstart', rel))).toEqual(old);
		expect(sentinelTree(night('night3'))).toBe(previous);
		expect(inode(path.join(night('night4'), 'crx-quickstart/bin/start'))).toBe(inode(path.join(night('night3'), 'crx-quickstart/bin/start')));
	}, 30_000);

	test('SIGINT mid-run leaves the previous backup byte-identical, with its mtimes and modes', async () => {
		const previous = sentinelTree(night('night3'));
		fs.appendFileSync(path.join(quickstart, 'repository/segmentstore/data00000a.tar'), Buffer.alloc(2_000_000, 7));
		const job = startCli(['backup', '--repo', install, '--target', night('cancelled'), '--link-dest', night('night3'), '--delay', '60'], {env: env()});
		// Stage 1 has linked the control scripts: the run is past its checks and into the previous backup.
		await waitFor(() => fs.existsSync(path.join(night('cancelled'), 'crx-quickstart/bin/start')), 10_000, 'stage 1 to link');
		job.child.kill('SIGINT');
		expect((await job.done).code).toBe(130);
		expect(fs.existsSync(path.join(night('cancelled'), 'backupInProgress.txt'))).toBe(true);
		expect(sentinelTree(night('night3'))).toBe(previous);
		expect((await runCli(['verify', night('night3')], {env: env()})).code).toBe(0);
	}, 30_000);

	test('refusals: both flags, a zip target, an existing backup as target, an incomplete previous one', async () => {
		const cases: Array<[string[], RegExp]> = [
			[['--target', night('x'), '--link-dest', night('night1'), '--incremental'], /give one of them/],
			[['--target', night('x.zip'), '--link-dest', night('night1')], /directory backups only/],
			[['--target', night('night1'), '--link-dest', night('night2')], /already holds something/],
			[['--target', night('x'), '--link-dest', night('cancelled')], /not a complete crx-backup directory backup/],
			[['--target', night('x'), '--link-dest', night('night1') + '/crx-quickstart'], /not a complete crx-backup directory backup/],
		];
		for (const [args, sentence] of cases) {
			const before = sentinelTree(backups());
			const result = await runCli(['backup', '--repo', install, ...args], {env: env()});
			expect(result.code, args.join(' ')).toBe(2);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).toMatch(sentence);
			expect(sentinelTree(backups())).toBe(before);
		}
	}, 30_000);
});

describe('list', () => {
	test('shows what each backup of a --link-dest chain really adds: files no other backup holds', async () => {
		const result = await runCli(['list', '--dir', backups(), '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		const records = JSON.parse(result.stdout) as Array<{name: string; bytes: number; addedBytes?: number}>;
		const byName = new Map(records.map(record => [record.name, record]));
		// night3 shares all of night2's files; night1 alone holds the log and the configuration as they were before night2.
		expect(byName.get('night2')!.addedBytes).toBe(0);
		expect(byName.get('night3')!.addedBytes).toBe(0);
		expect(byName.get('night1')!.addedBytes).toBe(fs.statSync(path.join(night('night1'), 'crx-quickstart/logs/error.log')).size + fs.statSync(path.join(night('night1'), 'crx-quickstart/conf/sling.properties')).size);
		const table = await runCli(['list', '--dir', backups()], {env: env()});
		expect(table.stdout.split('\n')[0]).toMatch(/NAME\s+KIND\s+SIZE\s+ADDS\s+CREATED\s+STATUS/);
	}, 20_000);
});
