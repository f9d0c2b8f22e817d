import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../support/trees.js';

let root: string;
let install: string;
let quickstart: string;

beforeEach(() => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

const manifestOf = (dir: string) => fs.readFileSync(path.join(dir, 'crx-backup-manifest.jsonl'), 'utf8').trim().split('\n').map(line => JSON.parse(line));

describe('directory backup', () => {
	test('copies the tree without index and cache, keeps modes private, writes a manifest, never touches the source', async () => {
		const before = describeTree(install, {withMtime: true});
		const result = await runCli(['backup', '--repo', install, '--target', 'nightly', '--json']);
		expect(result.stderr).toContain('Stage 1 phase A');
		expect(result.code).toBe(0);
		const target = path.join(root, 'nightly');
		const summary = JSON.parse(result.stdout);
		expect(summary).toMatchObject({target, kind: 'directory', writesBlockedMs: 0});
		expect(summary.stages.map((s: {stage: number}) => s.stage)).toEqual([1, 2, 3, 4]);
		for (const stage of summary.stages) expect(stage).toEqual(expect.objectContaining({files: expect.any(Number), bytes: expect.any(Number), durationMs: expect.any(Number)}));

		const source = describeTree(quickstart, {skip: ['repository/index', 'repository/cache']});
		const copy = describeTree(path.join(target, 'crx-quickstart'));
		expect(contentOf(copy)).toEqual(contentOf(source));
		expect(copy.has('repository/index')).toBe(false);
		expect(copy.get('bin/start')!.mode).toBe(0o700);
		expect(copy.get('conf/sling.properties')!.mode).toBe(0o600);
		expect(fs.existsSync(path.join(target, 'backupInProgress.txt'))).toBe(false);
		expect(summary.files).toBe([...source.values()].filter(n => n.type === 'file').length);

		const [header, ...entries] = manifestOf(target);
		expect(header).toMatchObject({format: 'crx-backup-manifest', kind: 'directory', source: fs.realpathSync(quickstart), files: summary.files});
		const start = entries.find(e => e.path === 'crx-quickstart/bin/start');
		expect(start).toMatchObject({type: 'file', mode: 0o755, size: source.get('bin/start')!.size});
		expect(start.crc32).toMatch(/^[0-9a-f]{8}$/);
		expect(entries.filter(e => e.type === 'file')).toHaveLength(summary.files);

		expect(describeTree(install, {withMtime: true})).toEqual(before);
	});

	test('a re-sync copies only what changed, deletes what is gone and leaves the rest alone', async () => {
		// Files changed in the last two seconds are re-read by the next stage (coarse timestamps): let the new tree settle.
		await new Promise(resolve => setTimeout(resolve, 2100));
		expect((await runCli(['backup', '--repo', install, '--target', 'nightly'])).code).toBe(0);
		const target = path.join(root, 'nightly', 'crx-quickstart');
		const untouchedIno = fs.statSync(path.join(target, 'conf/sling.properties')).ino;
		fs.appendFileSync(path.join(quickstart, 'logs/error.log'), 'more\n');
		fs.rmSync(path.join(quickstart, 'bin/status'));
		fs.writeFileSync(path.join(quickstart, 'logs/new.log'), 'new\n');
		fs.writeFileSync(path.join(target, 'stray.txt'), 'not in the source');

		const result = await runCli(['backup', '--repo', install, '--target', 'nightly', '--json']);
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout);
		expect(summary.stages[0].files).toBe(2);
		expect(summary.stages[0].deleted).toBe(2);
		expect(fs.existsSync(path.join(target, 'bin/status'))).toBe(false);
		expect(fs.existsSync(path.join(target, 'stray.txt'))).toBe(false);
		expect(fs.readFileSync(path.join(target, 'logs/error.log'), 'utf8')).toBe('started\nmore\n');
		expect(fs.statSync(path.join(target, 'conf/sling.properties')).ino).toBe(untouchedIno);
		expect(contentOf(describeTree(target))).toEqual(contentOf(describeTree(quickstart, {skip: ['repository/index', 'repository/cache']})));
	});

	test('stage 4 catches a same-size rewrite with the old mtime, an append and a deletion made during the freeze', async () => {
		const manifest = path.join(quickstart, 'repository/segmentstore/manifest');
		const journal = path.join(quickstart, 'repository/segmentstore/journal.log');
		const datastoreFile = describeTree(path.join(quickstart, 'repository/datastore'));
		const blob = [...datastoreFile].find(([, info]) => info.type === 'file')![0];
		// The freeze command plays the repository's last writes: same size, mtime put back (only ctime differs).
		const freeze = [
			`printf 'store.version=2\\n' > ${manifest}`,
			`touch -m -d @1600000000 ${manifest}`,
			`echo appended >> ${journal}`,
			`rm ${path.join(quickstart, 'repository/datastore', blob)}`,
			`echo new tar > ${path.join(quickstart, 'repository/segmentstore/data00099a.tar')}`,
		].join(' && ');
		fs.utimesSync(manifest, 1_600_000_000, 1_600_000_000);
		// Past the racy window, so that stages 1-3 capture it as settled and only its ctime can give the rewrite away.
		await new Promise(resolve => setTimeout(resolve, 2100));
		const result = await runCli(['backup', '--repo', install, '--target', 'frozen', '--freeze-cmd', freeze, '--thaw-cmd', `touch ${root}/thawed`, '--json']);
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout);
		expect(summary.writesBlocked).toBe(true);
		expect(summary.stages[3].files).toBeGreaterThanOrEqual(2);
		expect(summary.stages[3].deleted).toBe(1);
		const copy = path.join(root, 'frozen', 'crx-quickstart');
		expect(fs.readFileSync(path.join(copy, 'repository/segmentstore/manifest'), 'utf8')).toBe('store.version=2\n');
		expect(fs.readFileSync(path.join(copy, 'repository/segmentstore/journal.log'), 'utf8')).toContain('appended');
		expect(fs.existsSync(path.join(copy, 'repository/datastore', blob))).toBe(false);
		// A folder whose listing changed is read again, not taken from the stage before.
		expect(fs.readFileSync(path.join(copy, 'repository/segmentstore/data00099a.tar'), 'utf8')).toBe('new tar\n');
		expect(fs.existsSync(path.join(root, 'thawed'))).toBe(true);
	});

	test('follows a symlinked folder by content and reports a symlink loop without following it', async () => {
		const shared = path.join(root, 'shared');
		fs.mkdirSync(shared);
		fs.writeFileSync(path.join(shared, 'cluster.txt'), 'node1');
		fs.symlinkSync(shared, path.join(quickstart, 'repository/shared'));
		fs.symlinkSync('..', path.join(quickstart, 'launchpad/loop'));
		const result = await runCli(['backup', '--repo', quickstart, '--target', 'linked', '--json']);
		expect(result.code).toBe(0);
		const copy = path.join(root, 'linked', 'crx-quickstart');
		expect(fs.lstatSync(path.join(copy, 'repository/shared')).isDirectory()).toBe(true);
		expect(fs.readFileSync(path.join(copy, 'repository/shared/cluster.txt'), 'utf8')).toBe('node1');
		expect(fs.existsSync(path.join(copy, 'launchpad/loop'))).toBe(false);
		expect(JSON.parse(result.stdout).warnings.join(' ')).toContain('launchpad/loop');
	});

	test('--exclude leaves out more trees', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'small', '--exclude', 'logs', '--exclude', 'crx-quickstart/conf']);
		expect(result.code).toBe(0);
		const copy = path.join(root, 'small', 'crx-quickstart');
		expect(fs.existsSync(path.join(copy, 'logs'))).toBe(false);
		expect(fs.existsSync(path.join(copy, 'conf'))).toBe(false);
		expect(fs.existsSync(path.join(copy, 'bin/start'))).toBe(true);
	});
});
