import {execFileSync, spawn} from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {tempDir} from '../support/trees.js';

/**
 * A shared backup folder may hold what another user planted: a "backup" whose
 * crx-backup-manifest.jsonl is a FIFO. Opening it for reading blocks until a
 * writer comes, which never does, and a blocked open holds Node's thread pool
 * past SIGTERM: list, prune and status as root would hang every night. The
 * manifest is opened non-blocking and must be a regular file.
 */
let root: string;
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

test('list of a folder holding a backup whose manifest is a FIFO returns at once', async () => {
	root = fs.realpathSync(tempDir('crx-list-fifo-'));
	const shared = path.join(root, 'shared');
	fs.mkdirSync(path.join(shared, 'planted', 'crx-quickstart'), {recursive: true});
	execFileSync('mkfifo', [path.join(shared, 'planted', 'crx-backup-manifest.jsonl')]);
	// Ended by the test's own timeout if it hangs: that is the failure.
	const result = await runCli(['list', '--dir', shared, '--json'], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state')}});
	expect(result.code, result.stderr).toBe(0);
	const listed = JSON.parse(result.stdout) as Array<{name: string; manifest?: unknown}>;
	expect(listed.find(entry => entry.name === 'planted')?.manifest).toBeUndefined();
}, 30_000);

test('list of a folder whose in-progress marker names another process whose package.json is a FIFO returns at once', async () => {
	const shared = path.join(root, 'shared-marker');
	fs.mkdirSync(path.join(shared, 'planted', 'crx-quickstart'), {recursive: true});
	// A process that looks like `node …/dist/cli.js`: crx-backup asks the package.json above its script.
	const fake = path.join(root, 'fake');
	fs.mkdirSync(path.join(fake, 'dist'), {recursive: true});
	fs.writeFileSync(path.join(fake, 'dist', 'cli.js'), 'import time\ntime.sleep(600)\n');
	execFileSync('mkfifo', [path.join(fake, 'package.json')]);
	const holder = spawn('python3', [path.join(fake, 'dist', 'cli.js')], {stdio: 'ignore'});
	try {
		await new Promise(resolve => holder.once('spawn', resolve));
		fs.writeFileSync(path.join(shared, 'planted', 'backupInProgress.txt'), JSON.stringify({pid: holder.pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z'}));
		// Ended by the test's own timeout if it hangs: that is the failure.
		const result = await runCli(['list', '--dir', shared, '--json'], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state')}});
		expect(result.code, result.stderr).toBe(0);
		expect((JSON.parse(result.stdout) as Array<{name: string}>).map(entry => entry.name)).toContain('planted');
	} finally {
		holder.kill('SIGKILL');
	}
}, 30_000);
