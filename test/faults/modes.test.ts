import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {startCli, waitFor} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * A repository holds keys and passwords: backups are readable by their owner
 * only, whatever the umask (a cron job may run with 000). Run with umask 000 so
 * every mode below is the one the tool chose.
 */
let umask: number;
beforeEach(() => {
	umask = process.umask(0);
});
afterEach(() => {
	process.umask(umask);
});

const mode = (file: string) => (fs.lstatSync(file).mode & 0o7777).toString(8);

function oddInstall(root: string) {
	const {install, quickstart} = makeInstall(root);
	const file = (rel: string, perm: number) => {
		fs.writeFileSync(path.join(quickstart, rel), rel);
		fs.chmodSync(path.join(quickstart, rel), perm);
	};
	file('conf/world-writable.txt', 0o666);
	file('conf/everyone.sh', 0o777);
	file('conf/setuid-tool', 0o4755);
	file('conf/group-read.txt', 0o640);
	fs.mkdirSync(path.join(quickstart, 'tmp-sticky'));
	fs.chmodSync(path.join(quickstart, 'tmp-sticky'), 0o1777);
	fs.chmodSync(path.join(quickstart, 'logs'), 0o775);
	return {install, quickstart};
}

/** Every path below `dir` whose mode is not the private one. */
function notPrivate(dir: string): string[] {
	const bad: string[] = [];
	const walk = (current: string) => {
		for (const name of fs.readdirSync(current)) {
			const full = path.join(current, name);
			const stat = fs.lstatSync(full);
			const perm = stat.mode & 0o7777;
			if (stat.isDirectory()) {
				if (perm !== 0o700) bad.push(`${full} ${perm.toString(8)}`);
				walk(full);
			} else if (perm !== 0o600 && perm !== 0o700) bad.push(`${full} ${perm.toString(8)}`);
		}
	};
	walk(dir);
	return bad;
}

test('directory backup: the folder, every subfolder 0700, every file 0600 (0700 if executable), marker and manifest 0600', async () => {
	const root = faultDir();
	const {install} = oddInstall(root);
	const target = path.join(root, 'deep/er/night');
	// A backup no longer makes the folders above its target (test/commands/target-paths.test.ts).
	fs.mkdirSync(path.join(root, 'deep/er'), {recursive: true, mode: 0o700});
	const job = startCli(['backup', '--repo', install, '--target', target, '--delay', '8'], {env: stateEnv(root)});
	await waitFor(() => fs.existsSync(path.join(target, 'backupInProgress.txt')), 15_000, 'the marker');
	expect(mode(path.join(target, 'backupInProgress.txt'))).toBe('600');
	const result = await job.done;
	expect(result.code, result.stderr).toBe(0);
	expect(mode(target)).toBe('700');
	expect(mode(path.join(target, 'crx-backup-manifest.jsonl'))).toBe('600');
	expect(notPrivate(target)).toEqual([]);
	const copy = path.join(target, 'crx-quickstart');
	expect(mode(path.join(copy, 'conf/everyone.sh'))).toBe('700');
	expect(mode(path.join(copy, 'conf/setuid-tool'))).toBe('700');
	expect(mode(path.join(copy, 'conf/world-writable.txt'))).toBe('600');
	expect(mode(path.join(copy, 'bin/start'))).toBe('700');
});

test('zip backup: the staging folder 0700 while it runs, its files private, the zip 0600', async () => {
	const root = faultDir();
	const {install} = oddInstall(root);
	const zip = path.join(root, 'night.zip');
	const job = startCli(['backup', '--repo', install, '--target', zip, '--delay', '8'], {env: stateEnv(root)});
	const staging = () => fs.readdirSync(root).find(name => /^night\.[0-9a-f]{4}\.temp$/.test(name));
	await waitFor(() => staging() !== undefined && fs.existsSync(path.join(root, staging()!, 'crx-quickstart/repository/segmentstore/data00000a.tar')), 15_000, 'the staging copy');
	const folder = path.join(root, staging()!);
	expect(mode(folder)).toBe('700');
	expect(notPrivate(folder)).toEqual([]);
	const result = await job.done;
	expect(result.code, result.stderr).toBe(0);
	expect(mode(zip)).toBe('600');
	expect(fs.readdirSync(root).sort()).toEqual(['AEM', 'night.zip', 'state']);
});
