import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli} from '../support/cli.js';
import {drillJvms as jvms, scratchFolders as folders} from '../support/drill.js';
import {expectCleanFrames, exitStatus, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * A restore drill from the TUI, against the fake AEM: t on a backup in Backups asks, then the drill's steps run
 * in view; AEM comes up on a port of its own, the figures show, the copy is gone afterwards and Home says when the
 * last drill ran. x while AEM starts cancels: the drill's AEM is stopped and its copy removed.
 */
const {folder, startTui} = tmuxCases();

/** An install with the fake AEM (never started: the drill needs no live AEM) and one backup beside it. */
async function drillInstall(prefix: string, startupMs: number): Promise<{root: string; install: string; env: Record<string, string>}> {
	const root = folder(prefix);
	fs.chmodSync(root, 0o755);
	const install = path.join(root, 'aem');
	await generateRepository(install, {sizeBytes: 256 * 1024, seed: 12});
	await installFakeAem(install, {stopDelayMs: 100, exitDelayMs: 100, maxLifetimeMs: 120_000, startupMs, bundlesMs: 300});
	const env = {CRX_BACKUP_STATE_DIR: path.join(root, 'state'), CRX_BACKUP_AEM_PASSWORD: 'admin'};
	const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'nightly.zip')], {env});
	expect(made.code, made.stderr).toBe(0);
	return {root, install, env};
}

/** The drill's scratch folders beside the backups in `root`, and the drill JVMs working in one. */
const scratchFolders = (root: string) => folders({backups: root});
const drillJvms = (root: string) => jvms({backups: root}).map(jvm => jvm.pid);

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI restore drill (tmux)', () => {
	it.each(sizes)('at $columns×$rows: t asks, the steps run in view, AEM comes up, the figures show, the copy is gone and Home names the drill', {timeout: 180_000}, async size => {
		const {root, install, env} = await drillInstall('crx-e2e-drill-', 300);
		const run = startTui(size, root, ['--repo', install], env);
		const {tty} = run;
		const home = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && /Last drill\s+none yet/.test(frame), 30_000);
		expect(home).toMatch(/t in Backups runs one/);
		tty.send('b');
		await tty.waitForScreen(/^› nightly\.zip\s/m);
		tty.send('t');
		const asked = await tty.waitForScreen(/\[y\/N\]/);
		expect(asked).toMatch(/Drill nightly\.zip/);
		expect(scratchFolders(root)).toEqual([]); // Nothing before the yes.
		tty.send('y');
		const running = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Restore drill') && /Verify the backup/.test(frame));
		expect(running).toMatch(/Wait until AEM is ready/);
		const done = await tty.waitForScreen(/came up on port \d+/, 150_000);
		for (const step of ['Clean up after a killed drill', 'Verify the backup', 'Restore into a scratch folder', 'Start AEM there', 'Wait until AEM is ready', 'Stop AEM, delete the copy']) {
			expect(done).toMatch(new RegExp(`^✔ ${step}`, 'm'));
		}
		expect(done).toMatch(/to\s+recover/);
		expect(done).toMatch(process.geteuid?.() === 0 ? /network\s+namespace\s+of\s+its\s+own/ : /network\s+reachable/);
		expect(scratchFolders(root)).toEqual([]);
		expect(drillJvms(root)).toEqual([]);
		// The live install was never started.
		expect(fs.existsSync(path.join(install, 'crx-quickstart/conf/cq.pid'))).toBe(false);
		tty.send('Escape');
		await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups'));
		tty.send('Escape');
		const after = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Home') && /Last drill\s+✔ /.test(frame), 30_000);
		expect(after).toMatch(/Last drill\s+✔ \d[^\n]* ago · AEM up in /);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});

	it('x while AEM starts cancels the drill: its AEM is stopped, its copy removed, the session says it failed or was cancelled', {timeout: 180_000}, async () => {
		// An AEM that takes its time to come up (Sling's startup filter answers 503 meanwhile): the drill is in `ready`.
		const {root, install, env} = await drillInstall('crx-e2e-drill-cancel-', 120_000);
		const run = startTui(sizes[0], root, ['--repo', install], env);
		const {tty} = run;
		await tty.waitForScreen('crx-backup › Home', 30_000);
		tty.send('b');
		await tty.waitForScreen(/^› nightly\.zip\s/m);
		tty.send('t');
		await tty.waitForScreen(/\[y\/N\]/);
		tty.send('y');
		await tty.waitForScreen(frame => /^✔ Start AEM there/m.test(frame) && /503/.test(frame), 120_000);
		expect(drillJvms(root)).toHaveLength(1);
		expect(scratchFolders(root)).toHaveLength(1);
		tty.send('x');
		await tty.waitForScreen(/Cancel the drill\?/);
		tty.send('y');
		const cancelled = await tty.waitForScreen(/Drill cancelled/, 120_000);
		expect(cancelled).toMatch(/scratch\s+folder\s+removed/);
		expect(scratchFolders(root)).toEqual([]);
		expect(drillJvms(root)).toEqual([]);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expect(tty.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'e2e')).toMatch(/1 drill failed or cancelled/);
	});
});
