import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli, startCli} from '../support/cli.js';
import {chownTree, cliForOthers, fingerprint, localUser, runCliAs, shAs, type LocalUser} from '../support/local-user.js';
import {makeInstall} from '../support/trees.js';
import {errorLines, faultDir, listDir, treeDigest} from '../support/faults.js';

/**
 * The state folder (locks, folder-listing caches) as another local user would
 * attack it: pre-created open to all, a symlink, someone else's; symlinks at
 * the names crx-backup creates in it; planted locks naming a process that is
 * not crx-backup. And, the other way round, a second user's own backups work
 * after root has run one. Each attack leaves a root-owned sentinel elsewhere
 * byte-identical with its mode unchanged.
 */

const user = localUser();
const skipReason = typeof user === 'string' ? user : undefined;
if (skipReason) console.warn(`state-folder attacks by another user skipped: ${skipReason}`);

/** root's own environment for the CLI: a home of its own and a shared, sticky temp folder; no CRX_BACKUP_STATE_DIR. */
function setUp() {
	const root = faultDir('crx-state-');
	fs.chmodSync(root, 0o755); // Other users must reach their folders below.
	const {install} = makeInstall(root);
	const shared = path.join(root, 'tmp');
	fs.mkdirSync(shared);
	fs.chmodSync(shared, 0o1777);
	const home = path.join(root, 'root-home');
	fs.mkdirSync(home, {mode: 0o700});
	const sentinelDir = path.join(root, 'sentinel');
	fs.mkdirSync(sentinelDir);
	const sentinel = path.join(sentinelDir, 'root-owned.conf');
	fs.writeFileSync(sentinel, 'precious=1\n', {mode: 0o644});
	const before = {file: fingerprint(sentinel), tree: treeDigest(sentinelDir)};
	const untouched = () => {
		expect(fingerprint(sentinel)).toBe(before.file);
		expect(treeDigest(sentinelDir)).toEqual(before.tree);
	};
	const env = {HOME: home, TMPDIR: shared, XDG_STATE_HOME: undefined, CRX_BACKUP_STATE_DIR: undefined};
	const backup = (target: string, extra: NodeJS.ProcessEnv = {}) => runCli(['backup', '--repo', install, '--target', target], {env: {...env, ...extra}});
	return {root, install, shared, home, sentinel, sentinelDir, untouched, env, backup, defaultState: path.join(home, '.local', 'state', 'crx-backup')};
}

const oneSentence = (result: {stderr: string}) => {
	expect(errorLines(result as never)).toHaveLength(1);
	expect(result.stderr.trim().split('\n')).toHaveLength(1);
};

test('the default state folder is the user\'s own: created 0700 under ~/.local/state, never in the shared temp folder', async () => {
	const {root, shared, backup, defaultState} = setUp();
	const result = await backup(path.join(root, 'b1'));
	expect(result.code, result.stderr).toBe(0);
	const stat = fs.lstatSync(defaultState);
	expect(stat.isDirectory()).toBe(true);
	expect(stat.mode & 0o7777).toBe(0o700);
	expect(stat.uid).toBe(process.getuid!());
	expect(fs.readdirSync(shared)).toEqual([]);
	// With no usable home, the fallback is per user in the temp folder: $TMPDIR/crx-backup-<uid>.
	const homeless = await backup(path.join(root, 'b2'), {HOME: path.join(root, 'no-such-home')});
	expect(homeless.code, homeless.stderr).toBe(0);
	expect(fs.readdirSync(shared)).toEqual([`crx-backup-${process.getuid!()}`]);
	expect(fs.lstatSync(path.join(shared, `crx-backup-${process.getuid!()}`)).mode & 0o7777).toBe(0o700);
});

test.skipIf(skipReason)('a state folder open to all, a symlinked one, or another user\'s is refused with one sentence; nothing is written there or through it', async () => {
	const attacker = user as LocalUser;
	const {root, shared, sentinelDir, untouched, backup} = setUp();
	const state = path.join(root, 'state');
	const cases: Array<[string, () => void, RegExp]> = [
		['mode 0777', () => fs.mkdirSync(state, {mode: 0o777}), /writable by other users/],
		['a symlink to a folder of root\'s', () => fs.symlinkSync(sentinelDir, state), /symbolic link/],
		['owned by another user', () => {
			fs.mkdirSync(state, {mode: 0o700});
			chownTree(state, attacker);
		}, /belongs to another user/],
	];
	for (const [what, plant, message] of cases) {
		fs.rmSync(state, {recursive: true, force: true});
		plant();
		if (what === 'mode 0777') fs.chmodSync(state, 0o777); // The umask took some bits away.
		const target = path.join(root, 'target');
		const result = await backup(target, {CRX_BACKUP_STATE_DIR: state});
		expect(result.code, `${what}: ${result.stderr}`).toBe(2);
		expect(result.stderr, what).toMatch(message);
		oneSentence(result);
		expect(fs.existsSync(target), what).toBe(false);
		if (what !== 'a symlink to a folder of root\'s') expect(fs.readdirSync(state), what).toEqual([]);
		untouched();
	}

	// The shared temp folder attack on the fallback: another user pre-creates root's $TMPDIR/crx-backup-0, open to all.
	const fallback = path.join(shared, `crx-backup-${process.getuid!()}`);
	shAs(attacker, `mkdir -m 777 '${fallback}' && chmod 777 '${fallback}'`);
	const refused = await backup(path.join(root, 'target'), {HOME: path.join(root, 'no-such-home')});
	expect(refused.code).toBe(2);
	expect(refused.stderr).toMatch(/belongs to another user/);
	oneSentence(refused);
	expect(fs.readdirSync(fallback)).toEqual([]);
	untouched();
});

test('symlinks planted at every name crx-backup creates in its state folder redirect no write, even when the cache comes from another file system', async () => {
	const {root, install, sentinel, untouched, env} = setUp();
	const state = path.join(root, 'state');
	// The listing cache is made in the target's folder: a target on another file system makes saving it a copy (the old code copied, then chmod-ed, by path).
	const other = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'crx-state-target-'));
	try {
		const crossDevice = fs.statSync(other).dev !== fs.statSync(root).dev;
		// The first run makes the folder and shows the names (lock id); the second runs with links at all of them.
		expect((await runCli(['backup', '--repo', install, '--target', path.join(other, 'b0')], {env: {...env, CRX_BACKUP_STATE_DIR: state}})).code).toBe(0);
		const id = fs.readdirSync(state).find(name => name.endsWith('.listing'))!.split('.')[0]!;
		const plant = (pid: number) => {
			const names = [`${id}.lock`, `${id}.lock.${pid}.tmp`, `${id}.lock.stale.000000`];
			for (const phase of ['A', 'B']) names.push(`${id}.${phase}.v1.listing`, `${id}.${phase}.v1.listing.${pid}.tmp`);
			for (const name of names) {
				fs.rmSync(path.join(state, name), {force: true});
				fs.symlinkSync(sentinel, path.join(state, name));
			}
		};
		// The CLI's pid is known the moment it starts, long before it takes the lock or saves the cache.
		const job = startCli(['backup', '--repo', install, '--target', path.join(other, 'b1')], {env: {...env, CRX_BACKUP_STATE_DIR: state}});
		plant(job.child.pid!);
		const result = await job.done;
		expect(result.code, result.stderr).toBe(0);
		untouched();
		// The cache was saved as a file of its own in place of the link, and is used as a cache again.
		for (const phase of ['A', 'B']) {
			const cache = fs.lstatSync(path.join(state, `${id}.${phase}.v1.listing`));
			expect(cache.isFile()).toBe(true);
			expect(cache.mode & 0o777).toBe(0o600);
		}
		if (!crossDevice) console.warn('the target is on the state folder\'s file system: the cross-device copy was not exercised');
	} finally {
		fs.rmSync(other, {recursive: true, force: true});
	}
});

test('a planted lock naming pid 1, or a live process that is not crx-backup, is stale and taken over; markers naming them are leftovers', async () => {
	const {root, install, env} = setUp();
	const state = path.join(root, 'state');
	const stateEnv = {...env, CRX_BACKUP_STATE_DIR: state};
	expect((await runCli(['backup', '--repo', install, '--target', path.join(root, 'b0')], {env: stateEnv})).code).toBe(0);
	const lock = path.join(state, `${fs.readdirSync(state).find(name => name.endsWith('.listing'))!.split('.')[0]!}.lock`);
	const startOf = (pid: number) => {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	};
	const sleeper = spawn('sleep', ['60'], {stdio: 'ignore'});
	try {
		// Each claim is exactly what a real lock holds, start time included: only what runs under the pid tells.
		for (const pid of [1, sleeper.pid!]) {
			fs.writeFileSync(lock, JSON.stringify({pid, host: os.hostname(), procStart: startOf(pid), startedAt: new Date().toISOString()}), {mode: 0o600});
			// And what a SIGKILL between making a temporary file and renaming it leaves: removed, its process being gone.
			fs.writeFileSync(`${lock}.2000000000.0123456789ab.tmp`, '{}', {mode: 0o600});
			const result = await runCli(['backup', '--repo', install, '--target', path.join(root, `b-${pid}`)], {env: stateEnv});
			expect(result.code, `pid ${pid}: ${result.stderr}`).toBe(0);
			// No lock and no temporary file left: only the listing caches, the run's outcome record (the nightly status),
			// made/ (the records of the backups it made, what prune and delete may remove) and the record of the
			// inodes a directory backup wrote (for the next --link-dest).
			expect(fs.readdirSync(state).filter(name => !name.endsWith('.listing') && !name.endsWith('.last-run.json') && name !== 'made' && !/\.written-[0-9a-f]{20}\.v1$/.test(name))).toEqual([]);
		}

		// The same liveness check serves the markers in backup folders: a zip staging folder and a directory
		// backup claimed by pid 1 or the sleeper are leftovers (not "running"), and the next zip backup removes its staging.
		const backups = path.join(root, 'backups');
		fs.mkdirSync(backups);
		const claim = (pid: number) => JSON.stringify({pid, host: os.hostname(), procStart: startOf(pid), startedAt: new Date().toISOString()}) + '\n';
		fs.mkdirSync(path.join(backups, 'night.abcd.temp', 'crx-quickstart'), {recursive: true});
		fs.writeFileSync(path.join(backups, 'night.abcd.temp', '.crx-backup-staging.json'), claim(1));
		fs.mkdirSync(path.join(backups, 'dir', 'crx-quickstart'), {recursive: true});
		fs.writeFileSync(path.join(backups, 'dir', 'backupInProgress.txt'), claim(sleeper.pid!));
		const listed = await listDir(backups, stateEnv);
		expect(listed.map(record => [record.name, record.status]).sort()).toEqual([['dir', 'incomplete'], ['night.abcd.temp', 'incomplete']]);
		const zip = await runCli(['backup', '--repo', install, '--target', path.join(backups, 'night.zip')], {env: stateEnv});
		expect(zip.code, zip.stderr).toBe(0);
		expect(fs.existsSync(path.join(backups, 'night.abcd.temp'))).toBe(false);
	} finally {
		sleeper.kill();
	}
	// A lock held by a real, running crx-backup still stops a second backup (test/commands/backup-control.test.ts).
});

test.skipIf(skipReason)('another user backs up its own repository after root ran one: its own state folder, no EACCES', async () => {
	const attacker = user as LocalUser;
	const {root, shared, backup} = setUp();
	expect((await backup(path.join(root, 'root-backup'))).code).toBe(0);
	const runner = cliForOthers(path.join(root, 'bin'), attacker);
	if (typeof runner === 'string') {
		console.warn(`skipped: ${runner}`);
		return;
	}
	const mine = path.join(root, 'attacker');
	fs.mkdirSync(mine);
	const {install} = makeInstall(mine);
	fs.mkdirSync(path.join(mine, 'home'));
	chownTree(mine, attacker);
	for (const home of [path.join(mine, 'home'), path.join(mine, 'no-such-home')]) {
		const target = path.join(mine, `backup-${path.basename(home)}.zip`);
		const result = await runCliAs(attacker, runner, ['backup', '--repo', install, '--target', target], {HOME: home, TMPDIR: shared});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).not.toMatch(/EACCES|Permission denied/);
		expect(fs.statSync(target).uid).toBe(attacker.uid);
	}
	for (const dir of [path.join(mine, 'home', '.local', 'state', 'crx-backup'), path.join(shared, `crx-backup-${attacker.uid}`)]) {
		const stat = fs.lstatSync(dir);
		expect([stat.uid, stat.mode & 0o7777], dir).toEqual([attacker.uid, 0o700]);
	}
});
