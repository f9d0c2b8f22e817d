import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli} from '../support/cli.js';
import {faultDir, modesOf, stateEnv, treeDigest} from '../support/faults.js';

/**
 * Our backups must not need our tool: a zip lists and extracts the same with
 * Info-ZIP unzip, Java's streaming reader (jar xf, what AEM itself uses) and
 * Python's zipfile; a directory backup is a plain tree that cp -a and diff -r read.
 */
const pythonExtract = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    if bad: sys.exit('CRC error in ' + bad)
    z.extractall(sys.argv[2])
    print('\\n'.join(i.filename for i in z.infolist()))
`;

async function sourceWithOddBits(root: string) {
	const install = path.join(root, 'AEM');
	const {quickstart} = await generateRepository(install, {sizeBytes: 3 * 1024 * 1024, seed: 5, smallFiles: 200});
	fs.writeFileSync(path.join(quickstart, 'conf', 'ünïcødé 日本.txt'), 'non-ascii name');
	fs.writeFileSync(path.join(quickstart, 'conf', 'empty.txt'), '');
	fs.mkdirSync(path.join(quickstart, 'conf', 'empty folder'));
	fs.chmodSync(path.join(quickstart, 'conf', 'empty.txt'), 0o640);
	return {install, quickstart};
}

test('a zip backup extracts identically with unzip, jar xf, python zipfile and our restore', async () => {
	const root = faultDir();
	const {install, quickstart} = await sourceWithOddBits(root);
	const zip = path.join(root, 'b.zip');
	const backup = await runCli(['backup', '--repo', install, '--target', zip], {env: stateEnv(root)});
	expect(backup.code, backup.stderr).toBe(0);

	const out = (tool: string) => path.join(root, 'out', tool);
	for (const tool of ['unzip', 'jar', 'python', 'ours']) fs.mkdirSync(out(tool), {recursive: true});
	execFileSync('unzip', ['-q', zip, '-d', out('unzip')]);
	execFileSync('jar', ['xf', zip], {cwd: out('jar')});
	const pythonNames = execFileSync('python3', ['-c', pythonExtract, zip, out('python')], {encoding: 'utf8'}).trim().split('\n');
	fs.rmdirSync(out('ours'));
	const restored = await runCli(['restore', zip, '--to', out('ours')], {env: stateEnv(root)});
	expect(restored.code, restored.stderr).toBe(0);

	// Listings: unzip -l and python name the same entries, manifest first.
	const unzipNames = execFileSync('unzip', ['-Z1', zip], {encoding: 'utf8'}).trim().split('\n');
	expect(pythonNames).toEqual(unzipNames);
	expect(unzipNames[0]).toBe('crx-backup-manifest.jsonl');
	expect(execFileSync('jar', ['tf', zip], {encoding: 'utf8'}).trim().split('\n')).toEqual(unzipNames);

	const expected = treeDigest(quickstart, {meta: false, backupView: true});
	for (const tool of ['unzip', 'jar', 'python']) {
		expect(treeDigest(path.join(out(tool), 'crx-quickstart'), {meta: false}), tool).toEqual(expected);
	}
	// Our restore leaves out what a running AEM left (restore/rules.ts): cq.pid, repo.lock.
	const {'repository/segmentstore/repo.lock': _lock, 'conf/cq.pid': _pid, ...startable} = expected as Record<string, string>;
	expect(treeDigest(path.join(out('ours'), 'crx-quickstart'), {meta: false}), 'ours').toEqual(startable);
	// Tools that keep unix modes give the source's back; unzip and ours keep mtimes too (to the second, DOS/extended time).
	const modes = modesOf(quickstart);
	for (const key of Object.keys(modes)) if (/^repository\/(index|cache)(\/|$)/.test(key)) delete modes[key];
	for (const tool of ['unzip', 'ours']) {
		const {'repository/segmentstore/repo.lock': _lock, 'conf/cq.pid': _pid, ...startable} = modes as Record<string, unknown>;
		expect(modesOf(path.join(out(tool), 'crx-quickstart')), tool).toEqual(tool === 'ours' ? startable : modes);
		const mtime = (base: string) => Math.floor(fs.statSync(path.join(base, 'conf', 'ünïcødé 日本.txt')).mtimeMs / 1000);
		expect(mtime(path.join(out(tool), 'crx-quickstart')), tool).toBe(mtime(quickstart));
	}
	// The manifest each tool extracted is the same file.
	const manifest = (tool: string) => fs.readFileSync(path.join(out(tool), 'crx-backup-manifest.jsonl'), 'utf8');
	for (const tool of ['jar', 'python']) expect(manifest(tool), tool).toBe(manifest('unzip'));
	execFileSync('unzip', ['-tq', zip]);
});

test('a directory backup is a plain copy: cp -a of it and diff -r against the source agree', async () => {
	const root = faultDir();
	const {install, quickstart} = await sourceWithOddBits(root);
	const target = path.join(root, 'b');
	expect((await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)})).code).toBe(0);
	const copy = path.join(root, 'copied');
	execFileSync('cp', ['-a', path.join(target, 'crx-quickstart'), copy]);
	let diff = '';
	try {
		execFileSync('diff', ['-r', quickstart, copy], {encoding: 'utf8'});
	} catch (error) {
		diff = String((error as {stdout?: string}).stdout);
	}
	// The only differences are the two trees a backup always leaves out.
	expect(diff.trim().split('\n').sort()).toEqual([`Only in ${quickstart}/repository: cache`, `Only in ${quickstart}/repository: index`]);
	expect(treeDigest(copy, {meta: false})).toEqual(treeDigest(quickstart, {meta: false, backupView: true}));
});
