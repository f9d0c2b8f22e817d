import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {engine} from '../../source/engine/index.js';
import {checkDestination} from '../../source/ui/destination.js';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {chownTree, localUser, type LocalUser} from '../support/local-user.js';
import {faultDir, listDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * SIGKILL during a restore leaves its staging folder (`*.restoring`) behind: the
 * process gets no chance to clean up. The next restore into the same folder
 * removes it and says so, `list` shows it as a leftover meanwhile, and nothing
 * that is not a dead staging folder of ours (a live restore's, a link, a
 * folder without our marker, another user's) is ever touched.
 */

const MARKER = '.crx-restore-staging.json';

/** A zip big enough that its extraction takes a while, made once for the file; each test works in a folder of its own. */
let shared: {root: string; zip: string; quickstart: string; env: NodeJS.ProcessEnv};
beforeAll(async () => {
	const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crx-restore-staging-')));
	const install = path.join(root, 'AEM');
	const {quickstart} = await generateRepository(install, {sizeBytes: 60 * 1024 * 1024, seed: 5});
	const zip = path.join(root, 'b.zip');
	const env = stateEnv(root);
	expect((await runCli(['backup', '--repo', install, '--target', zip], {env})).code).toBe(0);
	shared = {root, zip, quickstart, env};
}, 240_000);
afterAll(() => fs.rmSync(shared.root, {recursive: true, force: true}));

async function backupZip() {
	const root = faultDir('crx-restore-staging-');
	const zip = path.join(root, 'backups', 'b.zip');
	fs.mkdirSync(path.dirname(zip));
	fs.linkSync(shared.zip, zip);
	return {root, zip, quickstart: shared.quickstart, env: stateEnv(root)};
}

/** Every `*.restoring` below `dir`. */
function restoringUnder(dir: string): string[] {
	const found: string[] = [];
	const walk = (at: string) => {
		for (const entry of fs.readdirSync(at, {withFileTypes: true})) {
			if (entry.name.endsWith('.restoring')) found.push(path.join(at, entry.name));
			if (entry.isDirectory()) walk(path.join(at, entry.name));
		}
	};
	walk(dir);
	return found;
}

/**
 * Starts a restore into `to` and SIGKILLs it once its staging folder (in `where`) holds part of
 * crx-quickstart. The restore is stopped (SIGSTOP) the moment that is seen, so what the kill leaves
 * is what was seen; a restore that got to the end first (a fast machine, a small backup) is undone
 * and tried again, so the outcome never depends on the machine's speed.
 */
async function killMidExtract(zip: string, to: string, where: string, env: NodeJS.ProcessEnv): Promise<string> {
	const staging = () => fs.readdirSync(where).find(name => name.endsWith('.restoring'));
	for (let attempt = 1; attempt <= 10; attempt++) {
		const job = startCli(['restore', zip, '--to', to], {env});
		let stopped = false;
		await waitFor(() => {
			const name = staging();
			if (name === undefined || !fs.existsSync(path.join(where, name, 'crx-quickstart', 'repository'))) return job.child.exitCode !== null;
			job.child.kill('SIGSTOP');
			stopped = true;
			return true;
		}, 60_000, 'the restore to start extracting');
		const name = staging();
		job.child.kill('SIGKILL');
		const killed = await job.done;
		if (stopped && name !== undefined) {
			expect(killed.signal, killed.stderr).toBe('SIGKILL');
			return path.join(where, name);
		}
		fs.rmSync(to, {recursive: true, force: true}); // Finished before it was seen: try again.
	}
	throw new Error('the restore finished before its staging folder could be seen, ten times');
}

async function restoreAgain(zip: string, to: string, env: NodeJS.ProcessEnv, quickstart: string, leftover: string) {
	const again = await runCli(['restore', zip, '--to', to], {env});
	expect(again.code, again.stderr).toBe(0);
	expect(again.stderr).toContain(`Removed ${leftover}`);
	expect(fs.existsSync(leftover)).toBe(false);
	expect(fs.readdirSync(to)).toEqual(['.crx-restored', 'crx-quickstart']);
	expect(treeDigest(path.join(to, 'crx-quickstart'), {meta: false})).toEqual(treeDigest(quickstart, {meta: false, backupView: true, restoreView: true}));
}

test('killed while restoring into an existing empty folder: list shows the leftover, the next restore removes it, says so, and succeeds', async () => {
	const {root, zip, quickstart, env} = await backupZip();
	const to = path.join(root, 'empty');
	fs.mkdirSync(to);
	const leftover = await killMidExtract(zip, to, to, env);
	expect(path.basename(leftover)).toMatch(/^\.crx-restore\.[0-9a-f]{4}\.restoring$/);
	const listed = await listDir(to, env);
	expect(listed).toMatchObject([{path: leftover, status: 'incomplete', leftover: 'restore-staging'}]);
	// The TUI's wizard does not call the folder "not empty" for it either: the restore clears it.
	expect(await checkDestination(engine, to)).toEqual({ok: true, path: to, exists: true});
	await restoreAgain(zip, to, env, quickstart, leftover);
	expect(restoringUnder(root)).toEqual([]);
}, 240_000);

test('killed while restoring into a new folder: list shows dest.XXXX.restoring beside the backups, the next restore removes it and succeeds', async () => {
	const {root, zip, quickstart, env} = await backupZip();
	const backups = path.dirname(zip);
	const to = path.join(backups, 'restored');
	const leftover = await killMidExtract(zip, to, backups, env);
	expect(path.basename(leftover)).toMatch(/^restored\.[0-9a-f]{4}\.restoring$/);
	expect(fs.existsSync(to)).toBe(false);
	const listed = await listDir(backups, env);
	expect(listed.find(record => record.path === leftover)).toMatchObject({status: 'incomplete', leftover: 'restore-staging'});
	expect(listed.find(record => record.path === zip)).toMatchObject({status: 'complete'});
	await restoreAgain(zip, to, env, quickstart, leftover);
	expect(restoringUnder(root)).toEqual([]);
}, 240_000);

test('what is not a dead staging folder of ours is never touched: a live restore\'s, a link, one without our marker, another user\'s', async () => {
	const {root, zip, env} = await backupZip();
	const place = path.join(root, 'place');
	fs.mkdirSync(place);
	const to = path.join(place, 'to');
	const claim = (pid: number) => JSON.stringify({pid, host: os.hostname(), startedAt: new Date().toISOString(), target: to}) + '\n';
	const staging = (hex: string, marker?: string) => {
		const dir = path.join(place, `to.${hex}.restoring`);
		fs.mkdirSync(path.join(dir, 'crx-quickstart'), {recursive: true});
		fs.writeFileSync(path.join(dir, 'crx-quickstart', 'data'), 'partly restored');
		if (marker) fs.writeFileSync(path.join(dir, MARKER), marker);
		return dir;
	};
	// A restore that is running (a crx-backup process that lives), one with no marker, one whose marker is a link.
	const live = spawn('sleep', ['60'], {argv0: 'crx-backup', stdio: 'ignore'});
	try {
		staging('aaaa', claim(live.pid!));
		staging('bbbb');
		const linked = staging('cccc');
		fs.writeFileSync(path.join(place, 'dead-marker.json'), claim(999_999));
		fs.symlinkSync(path.join(place, 'dead-marker.json'), path.join(linked, MARKER));
		// A link named like a staging folder, to a folder elsewhere holding a dead marker.
		const elsewhere = path.join(root, 'elsewhere');
		fs.mkdirSync(elsewhere, {recursive: true});
		fs.writeFileSync(path.join(elsewhere, MARKER), claim(999_999));
		fs.writeFileSync(path.join(elsewhere, 'precious'), 'keep');
		fs.symlinkSync(elsewhere, path.join(place, 'to.dddd.restoring'));
		// Another user's folder with a dead marker (skipped where there is no second user).
		const other = localUser();
		if (typeof other !== 'string') chownTree(staging('eeee', claim(999_999)), other as LocalUser);
		const before = treeDigest(root, {skipTop: ['backups', 'state']});

		const result = await runCli(['restore', zip, '--to', to], {env});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).not.toMatch(/Removed/);
		const after = treeDigest(root, {skipTop: ['backups', 'state']});
		for (const key of Object.keys(after)) if (key === 'place/to' || key.startsWith('place/to/')) delete after[key];
		expect(after).toEqual(before);
		expect((await listDir(place, env)).find(record => record.name === 'to.aaaa.restoring')).toMatchObject({status: 'running', leftover: 'restore-staging'});
	} finally {
		live.kill();
	}
}, 240_000);
