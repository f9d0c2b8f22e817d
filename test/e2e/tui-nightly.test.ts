import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {describe, expect, it} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {hasTmux, shellQuote} from '../support/tmux.js';
import {sizes, tmuxCases} from '../support/tmux-flows.js';

/**
 * The nightly options: `--keep-*`, `--push`, `--on-success`
 * and `--on-failure` given to the TUI (or typed into its Options section) run
 * after its backup, through the same engine call as `crx-backup backup`: the
 * built CLI in a real terminal (tmux) at both sizes, a real restic repository.
 */
const hasRestic = spawnSync('restic', ['version'], {stdio: 'ignore'}).status === 0;
const skip = !hasTmux() ? 'skipped: tmux is not installed (apt-get install tmux)' : !hasRestic ? 'skipped: restic is not installed (apt-get install restic)' : undefined;

const {folder, startTui} = tmuxCases();

/** An install with two earlier zip backups beside it, a restic repository and its password file. */
async function setUp() {
	const root = folder('crx-e2e-nightly-');
	const {install} = makeInstall(root);
	const env = {...process.env, CRX_BACKUP_STATE_DIR: path.join(root, 'state'), RESTIC_PASSWORD_FILE: path.join(root, 'password'), XDG_CACHE_HOME: path.join(root, 'cache')};
	fs.writeFileSync(env.RESTIC_PASSWORD_FILE, 'correct horse battery staple\n');
	const repo = path.join(root, 'restic-repo');
	execFileSync('restic', ['init', '--repo', repo], {stdio: 'ignore', env});
	for (const name of ['old1.zip', 'old2.zip']) expect((await runCli(['backup', '--repo', install, '--target', name], {env})).code).toBe(0);
	return {root, install, repo, env};
}

/** The variables the TUI needs from setUp's environment (startTui gives it nothing else). */
const tuiEnv = (env: NodeJS.ProcessEnv) =>
	Object.fromEntries(['CRX_BACKUP_STATE_DIR', 'RESTIC_PASSWORD_FILE', 'XDG_CACHE_HOME', 'CRX_BACKUP_MAINTENANCE_WINDOW'].map(name => [name, env[name] ?? '']));

describe.skipIf(skip !== undefined)(skip ?? 'TUI nightly steps (tmux)', () => {
	for (const size of sizes) {
		it(`${size.columns}×${size.rows}: --keep-last, --push and --on-success given to the TUI prune, push and ping after its backup`, {timeout: 90_000}, async () => {
			const {root, install, repo, env} = await setUp();
			const hookFile = path.join(root, 'hook.env');
			const args = ['--repo', install, '--target', 'new.zip', '--keep-last', '1', '--push', repo, '--on-success', `env > ${shellQuote(hookFile)}`];
			const {tty} = startTui(size, root, args, tuiEnv(env));
			await tty.waitForScreen('crx-backup › Home', 30_000);
			tty.send('c');
			const create = await tty.waitForScreen(/ready: Enter starts the backup/, 30_000);
			expect(create).toMatch(/Options\s+▸ writes not blocked · prune · push · hooks/);
			tty.send('Enter');
			const done = await tty.waitForScreen(/Hook\s+--on-success ran/, 60_000, /Backup failed|Backup cancelled|✖/);
			expect(done).toMatch(/Prune\s+kept 1, deleted 2 \(--keep-last 1\)/);
			expect(done).toMatch(/Pushed\s+snapshot [0-9a-f]{8} to/);
			// What it did, on disk: the two earlier backups pruned, the new one pushed, the hook run with the outcome.
			expect(fs.readdirSync(root).filter(name => name.endsWith('.zip'))).toEqual(['new.zip']);
			const snapshots = JSON.parse(execFileSync('restic', ['snapshots', '--json', '--repo', repo], {env, encoding: 'utf8'})) as Array<{paths: string[]}>;
			expect(snapshots.map(snapshot => snapshot.paths.map(p => path.basename(p)))).toEqual([['new.zip']]);
			const hook = fs.readFileSync(hookFile, 'utf8');
			expect(hook).toContain('CRX_BACKUP_STATUS=success');
			expect(hook).toContain(`CRX_BACKUP_TARGET=${path.join(root, 'new.zip')}`);
		});
	}

	it('80×24: a backup cancelled in the TUI runs --on-failure with CRX_BACKUP_STATUS=cancelled, and prunes nothing', {timeout: 90_000}, async () => {
		const {root, install, env} = await setUp();
		const hookFile = path.join(root, 'failed.env');
		// The largest delay: stage 1 crawls, so the cancel lands mid-backup.
		const args = ['--repo', install, '--target', 'slow.zip', '--delay', '60000', '--keep-last', '1', '--on-failure', `env > ${shellQuote(hookFile)}`];
		const {tty} = startTui(sizes[0], root, args, tuiEnv(env));
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('c');
		await tty.waitForScreen(/ready: Enter starts the backup/, 30_000);
		tty.send('Enter');
		await tty.waitForScreen(/Stage 1/, 30_000);
		tty.send('x');
		await tty.waitForScreen(/Cancel the backup\?/, 10_000);
		tty.send('y');
		await tty.waitForScreen(/Backup cancelled/, 30_000);
		await expect.poll(() => fs.existsSync(hookFile), {timeout: 15_000}).toBe(true);
		expect(fs.readFileSync(hookFile, 'utf8')).toContain('CRX_BACKUP_STATUS=cancelled');
		expect(fs.readdirSync(root).filter(name => name.endsWith('.zip')).sort()).toEqual(['old1.zip', 'old2.zip']);
	});
});
