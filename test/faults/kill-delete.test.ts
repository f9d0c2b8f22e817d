import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli, startCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, listDir, stateEnv} from '../support/faults.js';

/** Enough files that removing them (a tenth of a second and more) outlasts the 2 ms poll for the delete to start. */
const FILES = 12_000;

test('a delete killed with SIGKILL half-way leaves a leftover that list names and delete (or prune) finishes', async () => {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root, {live: false});
	const many = path.join(quickstart, 'content', 'many');
	for (let folder = 0; folder < FILES / 1000; folder++) {
		fs.mkdirSync(path.join(many, `f${folder}`), {recursive: true});
		for (let file = 0; file < 1000; file++) fs.writeFileSync(path.join(many, `f${folder}`, `${file}.txt`), `${folder}/${file}`);
	}
	const env = stateEnv(root);
	const backup = path.join(root, 'nightly');
	const made = await runCli(['backup', '--repo', install, '--target', backup], {env});
	expect(made.code, made.stderr).toBe(0);

	const job = startCli(['delete', backup, '--yes', '--repo', install], {env});
	// The marker is the first thing a delete writes; the manifest and the marker are the last things it removes.
	const marker = path.join(backup, '.crx-backup-deleting.json');
	for (const started = Date.now(); !fs.existsSync(marker) && job.child.exitCode === null;) {
		if (Date.now() - started > 60_000) throw new Error('the delete did not start');
		await new Promise(resolve => setTimeout(resolve, 2));
	}
	job.child.kill('SIGKILL');
	const killed = await job.done;
	expect(killed.signal, 'the delete finished before the kill; raise FILES').toBe('SIGKILL');
	expect(fs.existsSync(path.join(backup, 'crx-backup-manifest.jsonl'))).toBe(true);
	expect(fs.existsSync(path.join(backup, '.crx-backup-deleting.json'))).toBe(true);

	const listed = await listDir(root, env);
	expect(listed.find(record => record.path === backup) as unknown).toMatchObject({status: 'incomplete', leftover: 'deleting', ours: true});
	const again = await runCli(['delete', backup, '--yes', '--repo', install], {env});
	expect(again.code, again.stderr).toBe(0);
	expect(fs.existsSync(backup)).toBe(false);
});
