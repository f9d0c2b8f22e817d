import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli, startCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/** Enough files that removing a backup outlasts the 2 ms poll for its being-deleted marker (as kill-delete.test.ts). */
const FILES = 12_000;

/**
 * Two nightly jobs at once (two crons, or a prune while another runs): one removes a backup the other
 * listed and decided to remove too. What the second decided holds, so it is no failure: exit 0, no
 * "✖ kept" for a backup that is gone, no --on-failure for nothing. The first prune is stopped (SIGSTOP)
 * while it removes one backup, the other run deletes the next, then the first goes on.
 */
test('a backup another run removed since prune listed it is no failure of this prune', async () => {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root, {live: false});
	const many = path.join(quickstart, 'content', 'many');
	for (let folder = 0; folder < FILES / 1000; folder++) {
		fs.mkdirSync(path.join(many, `f${folder}`), {recursive: true});
		for (let file = 0; file < 1000; file++) fs.writeFileSync(path.join(many, `f${folder}`, `${file}.txt`), `${folder}/${file}`);
	}
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	for (const day of ['01', '02', '03']) {
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, `d${day}`)], {env: env(`2026-10-${day}T02:00:00Z`)});
		expect(made.code, made.stderr).toBe(0);
	}

	// Removes d02 first (newest first), then d01.
	const first = startCli(['prune', '--repo', install, '--keep-last', '1'], {env: env('2026-10-03T03:00:00Z')});
	const marker = path.join(root, 'd02', '.crx-backup-deleting.json');
	for (const started = Date.now(); !fs.existsSync(marker) && first.child.exitCode === null;) {
		if (Date.now() - started > 60_000) throw new Error('the prune did not start deleting');
		await new Promise(resolve => setTimeout(resolve, 2));
	}
	first.child.kill('SIGSTOP');
	try {
		expect(first.child.exitCode, 'the prune finished before it was stopped; raise FILES').toBe(null);
		const other = await runCli(['delete', path.join(root, 'd01'), '--yes', '--repo', install], {env: env('2026-10-03T03:00:00Z')});
		expect(other.code, other.stderr).toBe(0);
	} finally {
		first.child.kill('SIGCONT');
	}
	const pruned = await first.done;
	expect(pruned.code, pruned.stderr).toBe(0);
	expect(pruned.stdout).not.toContain('✖');
	expect(pruned.stdout).toMatch(/^deleted .* d01 {2}\(no rule keeps it, removed by another crx-backup run meanwhile\)$/m);
	expect(fs.readdirSync(root).filter(name => name.startsWith('d')).sort()).toEqual(['d03']);
});

test('a delete of its own that stops half-way is still a failure of this prune (exit 1, named)', async context => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	for (const day of ['01', '02']) {
		const made = await runCli(['backup', '--repo', install, '--target', path.join(root, `d${day}`)], {env: env(`2026-10-${day}T02:00:00Z`)});
		expect(made.code, made.stderr).toBe(0);
	}
	// A file the delete cannot remove (immutable): it stops there, its being-deleted marker naming this prune.
	const stuck = path.join(root, 'd01', 'crx-quickstart', 'conf', 'sling.properties');
	try {
		execFileSync('chattr', ['+i', stuck], {stdio: 'ignore'});
	} catch {
		return context.skip('chattr +i is not possible here');
	}
	try {
		const pruned = await runCli(['prune', '--repo', install, '--keep-last', '1'], {env: env('2026-10-02T03:00:00Z')});
		expect(pruned.code).toBe(1);
		expect(pruned.stdout).toMatch(/^✖ kept .* d01 {2}\(/m);
		expect(pruned.stdout).not.toContain('another crx-backup run');
	} finally {
		execFileSync('chattr', ['-i', stuck], {stdio: 'ignore'});
	}
});
