import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

interface Listed {name: string; ours?: boolean; status: string; manifest?: {source: string}}

/**
 * Two installs beside each other share a default backup folder, and their nightly jobs start at
 * the same minute: both chose the same free default name before either had written anything there,
 * and the one that finished last renamed its zip over the other's. Here the other run's zip appears
 * at the name while this backup runs (its freeze command puts it there, at a known moment).
 */
test('a zip made at the chosen name while a backup runs is never replaced: the backup takes the next free name', async () => {
	const root = faultDir();
	const author = makeInstall(root, {name: 'author', live: false});
	const publish = makeInstall(root, {name: 'publish', live: false});
	const env = {...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: '2026-10-07T02:00:00Z'};
	const other = path.join(root, 'publish-made.zip');
	const first = await runCli(['backup', '--repo', publish.install, '--target', other], {env});
	expect(first.code, first.stderr).toBe(0);
	const theirs = fs.readFileSync(other);

	// The default name the author's run chose, taken by the publish run's zip before the author's is placed.
	const freeze = `cp '${other}' "$CRX_BACKUP_TARGET"`;
	const made = await runCli(['backup', '--repo', author.install, '--freeze-cmd', freeze, '--thaw-cmd', 'true', '--keep-last', '1', '--json'], {env});
	expect(made.code, made.stderr).toBe(0);
	const chosen = path.join(root, 'backup-20261007-0200.zip');
	const placed = path.join(root, 'backup-20261007-0200-2.zip');
	expect(fs.readFileSync(chosen).equals(theirs)).toBe(true);
	const summary = JSON.parse(made.stdout) as {target: string; warnings: string[]; prune?: {decisions: Array<{path: string; action: string}>}};
	expect(summary.target).toBe(placed);
	expect(summary.warnings.join('\n')).toContain('nothing was replaced');
	// The prune after it kept the backup just made, at the name it really has.
	expect(summary.prune?.decisions.find(decision => decision.path === placed)?.action).toBe('keep');

	const listed = JSON.parse((await runCli(['list', '--dir', root, '--json'], {env})).stdout) as Listed[];
	expect(listed.find(record => record.name === 'backup-20261007-0200-2.zip')).toMatchObject({ours: true, status: 'complete', manifest: {source: fs.realpathSync(author.quickstart)}});
	const status = await runCli(['status', '--repo', author.install], {env});
	expect(status.code, status.stdout).toBe(0);
	expect(status.stdout).toContain('backup-20261007-0200-2.zip');
});
