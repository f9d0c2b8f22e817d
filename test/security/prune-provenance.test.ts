import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A folder with a manifest is not a backup crx-backup may delete: an unzipped
 * backup AEM now runs from, a `cp -a` of a directory backup, and a backup AEM
 * was started in all carry one. Prune and delete remove only what crx-backup
 * recorded making (or the operator adopted), and name what they leave.
 */
test('prune and delete leave a live install restored by hand, a copy and a backup AEM ran in, naming each with the way to adopt it', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false}); // Backups go beside it, in `root`.
	const at = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	const backup = async (iso: string, ...args: string[]) => {
		const result = await runCli(['backup', '--repo', install, ...args], {env: at(iso)});
		expect(result.code, result.stderr).toBe(0);
		return result;
	};
	await backup('2026-10-01T02:00:00Z', '--target', 'n1.zip');
	await backup('2026-10-02T02:00:00Z', '--target', 'nightly-dir');
	await backup('2026-10-03T02:00:00Z', '--target', 'ran-in');

	// unzip n1.zip -d /opt/aem-recovered, and AEM runs there: it writes to its segment store.
	const recovered = path.join(root, 'aem-recovered');
	execFileSync('python3', ['-m', 'zipfile', '-e', path.join(root, 'n1.zip'), recovered]);
	fs.writeFileSync(path.join(recovered, 'crx-quickstart', 'repository', 'segmentstore', 'data00009a.tar'), 'written by AEM');
	// cp -a of a directory backup (a restic restore gives the same: same names and times, other inodes).
	const copy = path.join(root, 'copy-dir');
	execFileSync('cp', ['-a', path.join(root, 'nightly-dir'), copy]);
	// AEM was started in a backup crx-backup made: it built its index there.
	fs.mkdirSync(path.join(root, 'ran-in', 'crx-quickstart', 'repository', 'index', 'lucene-1'), {recursive: true});
	const before = {recovered: treeDigest(recovered), copy: treeDigest(copy), ranIn: treeDigest(path.join(root, 'ran-in'))};

	await backup('2026-10-04T02:00:00Z', '--keep-last', '2');
	const second = await backup('2026-10-05T02:00:00Z', '--keep-last', '2');
	expect(treeDigest(recovered)).toEqual(before.recovered);
	expect(treeDigest(copy)).toEqual(before.copy);
	expect(treeDigest(path.join(root, 'ran-in'))).toEqual(before.ranIn);
	// What crx-backup made and no rule keeps went: n1.zip and nightly-dir.
	expect(fs.existsSync(path.join(root, 'n1.zip'))).toBe(false);
	expect(fs.existsSync(path.join(root, 'nightly-dir'))).toBe(false);
	expect(fs.readdirSync(root).filter(name => name.endsWith('.zip')).sort()).toEqual(['backup-20261004-0200.zip', 'backup-20261005-0200.zip']);
	// Each one left alone is named, with why and how to take it in on purpose.
	expect(second.stdout).toContain(`leave   aem-recovered  (crx-backup cannot prove it wrote it: crx-backup has no record of making it`);
	expect(second.stdout).toContain(`adopt it with \`crx-backup adopt ${recovered}\``);
	expect(second.stdout).toContain(`adopt it with \`crx-backup adopt ${copy}\``);
	expect(second.stdout).toMatch(/^leave {3}ran-in {2}\(it holds crx-quickstart\/repository\/index, which AEM builds .*; remove it by hand if AEM no longer needs it\)$/m);

	const deleted = await runCli(['delete', recovered, '--yes', '--repo', install], {env: at('2026-10-05T03:00:00Z')});
	expect(deleted.code).toBe(2);
	expect(deleted.stderr).toMatch(/^crx-backup: Refusing to delete .*aem-recovered: crx-backup cannot prove it wrote it/);
	const ranIn = await runCli(['delete', path.join(root, 'ran-in'), '--yes', '--repo', install], {env: at('2026-10-05T03:00:00Z')});
	expect(ranIn.code).toBe(2);
	expect(treeDigest(recovered)).toEqual(before.recovered);
	expect(treeDigest(path.join(root, 'ran-in'))).toEqual(before.ranIn);

	// Adopting on purpose: the copy (untouched since) may then be pruned; the install AEM wrote to may not be adopted.
	const refused = await runCli(['adopt', recovered, '--repo', install], {env: at('2026-10-05T03:00:00Z')});
	expect(refused.code).toBe(2);
	expect(refused.stderr).toMatch(/^crx-backup: Refusing to adopt .*was written after its manifest/);
	const adopted = await runCli(['adopt', copy, '--repo', install], {env: at('2026-10-05T03:00:00Z')});
	expect(adopted.code, adopted.stderr).toBe(0);
	const pruned = await runCli(['prune', '--repo', install, '--keep-last', '2'], {env: at('2026-10-05T03:00:00Z')});
	expect(pruned.code, pruned.stderr).toBe(0);
	expect(fs.existsSync(copy)).toBe(false);
	expect(treeDigest(recovered)).toEqual(before.recovered);
});

test('a backup crx-backup made that AEM now runs from (its repo.lock held, or its cq.pid a live process there) is left by prune and refused by delete', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	for (const [day, target] of [['01', 'locked'], ['02', 'pid'], ['03', 'newest']] as const) {
		const made = await runCli(['backup', '--repo', install, '--target', target], {env: env(`2026-10-${day}T02:00:00Z`)});
		expect(made.code, made.stderr).toBe(0);
	}
	const segmentstore = path.join(root, 'locked', 'crx-quickstart', 'repository', 'segmentstore');
	const lockHolder = spawn('flock', ['-x', path.join(segmentstore, 'repo.lock'), '-c', 'echo locked; exec sleep 600'], {stdio: ['ignore', 'pipe', 'ignore']});
	const aem = spawn('sleep', ['600'], {cwd: path.join(root, 'pid', 'crx-quickstart'), stdio: 'ignore'});
	try {
		await new Promise(resolve => lockHolder.stdout!.once('data', resolve));
		fs.writeFileSync(path.join(root, 'pid', 'crx-quickstart', 'conf', 'cq.pid'), `${aem.pid}\n`);
		const before = {locked: treeDigest(path.join(root, 'locked')), pid: treeDigest(path.join(root, 'pid'))};

		const pruned = await runCli(['prune', '--repo', install, '--keep-last', '1'], {env: env('2026-10-03T03:00:00Z')});
		expect(pruned.code, pruned.stderr).toBe(0);
		expect(pruned.stdout).toMatch(/^leave {3}locked {2}\(a process holds its crx-quickstart\/repository\/segmentstore\/repo\.lock \(AEM runs there\); remove it by hand if AEM no longer needs it\)$/m);
		expect(pruned.stdout).toMatch(new RegExp(`^leave {3}pid {2}\\(its crx-quickstart/conf/cq\\.pid names process ${aem.pid}, which runs from it \\(AEM runs there\\);`, 'm'));
		for (const name of ['locked', 'pid'] as const) {
			const deleted = await runCli(['delete', path.join(root, name), '--yes', '--repo', install], {env: env('2026-10-03T03:00:00Z')});
			expect(deleted.code).toBe(2);
			expect(deleted.stderr).toMatch(/\(AEM runs there\); remove it by hand if AEM no longer needs it\.\n$/);
			expect(treeDigest(path.join(root, name))).toEqual(before[name]);
		}
	} finally {
		lockHolder.kill('SIGKILL');
		aem.kill('SIGKILL');
	}
});

test('a backup is crx-backup\'s wherever a link in the folder path names it from: prune through a linked --dir still decides it', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const disk = path.join(root, 'disk');
	fs.mkdirSync(disk, {mode: 0o700});
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	for (const day of ['01', '02']) expect((await runCli(['backup', '--repo', install, '--target', path.join(disk, `n${day}.zip`)], {env: env(`2026-10-${day}T02:00:00Z`)})).code).toBe(0);
	const linked = path.join(root, 'backups');
	fs.symlinkSync(disk, linked);
	const pruned = await runCli(['prune', '--repo', install, '--dir', linked, '--keep-last', '1'], {env: env('2026-10-02T03:00:00Z')});
	expect(pruned.code, pruned.stderr).toBe(0);
	expect(pruned.stdout).not.toMatch(/^leave/m);
	expect(fs.readdirSync(disk)).toEqual(['n02.zip']);
});
