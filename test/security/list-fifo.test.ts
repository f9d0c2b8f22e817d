import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * Another user's folder in a shared backup folder, with a crx-quickstart and, at the manifest's name, a
 * FIFO (or a link to one): opening it to read the manifest's header waited for a writer that never
 * comes, so list, prune, status and the nightly run hung, SIGTERM included. They must go on, naming it.
 */
test('a FIFO, or a link to one, at a folder\'s manifest name does not hang list, prune or status', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const shared = path.join(root, 'shared');
	fs.mkdirSync(shared);
	fs.chmodSync(shared, 0o1777);
	const env = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	const made = await runCli(['backup', '--repo', install, '--target', path.join(shared, 'n1.zip')], {env: env('2026-10-01T02:00:00Z')});
	expect(made.code, made.stderr).toBe(0);
	for (const name of ['fifo', 'linked']) fs.mkdirSync(path.join(shared, name, 'crx-quickstart'), {recursive: true});
	execFileSync('mkfifo', [path.join(shared, 'fifo', 'crx-backup-manifest.jsonl')]);
	fs.symlinkSync(path.join(shared, 'fifo', 'crx-backup-manifest.jsonl'), path.join(shared, 'linked', 'crx-backup-manifest.jsonl'));

	const listed = await runCli(['list', '--repo', install, '--dir', shared], {env: env('2026-10-01T03:00:00Z')});
	expect(listed.code, listed.stderr).toBe(0);
	expect(listed.stdout).toMatch(/^n1\.zip .*complete$/m);
	const pruned = await runCli(['prune', '--repo', install, '--dir', shared, '--keep-last', '1'], {env: env('2026-10-01T03:00:00Z')});
	expect(pruned.code, pruned.stderr).toBe(0);
	const status = await runCli(['status', '--repo', install, '--dir', shared], {env: env('2026-10-01T03:00:00Z')});
	expect(status.code, status.stdout).toBe(0);
	expect(fs.statSync(path.join(shared, 'fifo', 'crx-backup-manifest.jsonl')).isFIFO()).toBe(true);
});
