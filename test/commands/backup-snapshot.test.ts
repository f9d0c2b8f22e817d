/**
 * --method snapshot on a real btrfs (a loop file system, root only): the backup
 * equals the snapshot byte for byte while a live writer runs at full speed, the
 * writer was blocked only across the snapshot, and no snapshot is left after
 * success, failure, SIGINT, or SIGKILL followed by another run.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readJsonLines, runningFakeAem, startFakeAem, stopFakeAem} from '../../source/demo/fake-aem/control.js';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {generateRepository} from '../../source/demo/generate.js';
import {startLiveWriter, type LiveWriter} from '../../source/demo/live-writer.js';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {makeBtrfs, makeTinyTmpfs, methodsFsUnavailable, type Btrfs} from '../support/methods-fs.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../support/trees.js';

const unavailable = methodsFsUnavailable();
if (unavailable) console.warn(`Skipping the btrfs snapshot tests: ${unavailable}.`);
const EXCLUDED = ['repository/index', 'repository/cache'];
const leftovers = (btrfs: Btrfs) => btrfs.subvolumes().filter(name => name.includes('crx-backup-snapshot'));
const deleteSubvolume = (dir: string) => execFileSync('btrfs', ['subvolume', 'delete', dir], {stdio: 'ignore'});

describe.skipIf(unavailable)('backup --method snapshot (btrfs)', () => {
	let btrfs: Btrfs;
	let install: string;
	let quickstart: string;
	let outside: string;
	let writer: LiveWriter | undefined;

	beforeAll(async () => {
		btrfs = makeBtrfs();
		install = btrfs.subvolume('aem');
		quickstart = (await generateRepository(install, {sizeBytes: 2 * 1024 * 1024, seed: 17})).quickstart;
		outside = tempDir('crx-snapshot-');
	});

	afterAll(async () => {
		await writer?.stop().catch(() => undefined);
		if (install && runningFakeAem(install)) await stopFakeAem(install).catch(() => undefined);
		btrfs?.dispose();
		fs.rmSync(outside, {recursive: true, force: true});
	});

	it('copies the snapshot under a full-speed writer, which is blocked only across the snapshot, and deletes it', async () => {
		writer = await startLiveWriter({quickstart, controlDir: path.join(outside, 'control'), intensity: 'full', eventLog: path.join(outside, 'events.log')});
		const keep = path.join(btrfs.mount, 'keep');
		// Before the thaw, a read-only copy of crx-backup's own snapshot: what the backup must equal.
		const thaw = `btrfs subvolume snapshot -r "${btrfs.mount}"/.crx-backup-snapshot-* "${keep}" >/dev/null && ${writer.thawCmd}`;
		const target = path.join(outside, 'live');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'snapshot', '--freeze-cmd', writer.freezeCmd, '--thaw-cmd', thaw, '--json']);
		await writer.stop();
		writer = undefined;
		expect(result.stderr).not.toMatch(/crx-backup:/);
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout);
		expect(summary).toMatchObject({method: 'snapshot', writesBlocked: true, snapshot: {kind: 'btrfs', released: true}});
		expect(summary.stages).toHaveLength(1);
		const backup = describeTree(path.join(target, 'crx-quickstart'));
		const snapshot = describeTree(path.join(keep, 'crx-quickstart'), {skip: EXCLUDED});
		expect(backup.size).toBeGreaterThan(50);
		expect(contentOf(backup)).toEqual(contentOf(snapshot)); // Content: a directory backup keeps its copies private (modes are in the manifest).
		// The writer went on writing while the copy ran: the live tree is no longer the snapshot.
		expect(contentOf(describeTree(quickstart, {skip: EXCLUDED}))).not.toEqual(contentOf(snapshot));
		// Its own log: one freeze, as long as the snapshot took (plus the hooks), not the copy.
		const events = readJsonLines<{event: string; at: number; frozenMs?: number}>(path.join(outside, 'events.log'));
		const thawed = events.filter(event => event.event === 'thawed');
		expect(events.filter(event => event.event === 'frozen')).toHaveLength(1);
		expect(thawed).toHaveLength(1);
		expect(thawed[0]!.frozenMs!).toBeLessThanOrEqual(summary.writesBlockedMs);
		expect(summary.writesBlockedMs).toBeLessThan(summary.durationMs);
		// The block ended before the copy began: the two intervals fit in the run side by side (an order, not a speed).
		const copyMs = (summary.stages as Array<{durationMs: number}>).reduce((sum, stage) => sum + stage.durationMs, 0);
		expect(summary.stages.length).toBeGreaterThan(0);
		expect(summary.writesBlockedMs + copyMs).toBeLessThanOrEqual(summary.durationMs);
		expect(leftovers(btrfs)).toEqual([]);
		deleteSubvolume(keep);
	}, 60_000);

	it('deletes the snapshot when the copy fails (no space at the target)', async () => {
		const tiny = makeTinyTmpfs(256);
		try {
			const result = await runCli(['backup', '--repo', install, '--target', path.join(tiny.dir, 'full'), '--method', 'snapshot', '--force']);
			expect(result.code).toBe(1);
			expect(result.stderr.match(/^crx-backup: .*$/gm)).toEqual(['crx-backup: No space left on the device while backing up: free some space or choose another target.']);
			expect(leftovers(btrfs)).toEqual([]);
		} finally {
			tiny.dispose();
		}
	}, 30_000);

	it('deletes the snapshot when cancelled, and the next run deletes the one a SIGKILL left', async () => {
		for (const signal of ['SIGINT', 'SIGKILL'] as const) {
			// A delay keeps the one pass busy long enough to be interrupted while it reads the snapshot.
			const run = startCli(['backup', '--repo', install, '--target', path.join(outside, `killed-${signal}`), '--method', 'snapshot', '--delay', '50']);
			const name = `.crx-backup-snapshot-${run.child.pid}`;
			await waitFor(() => fs.existsSync(path.join(btrfs.mount, name)), 20_000, 'the snapshot');
			await new Promise(resolve => setTimeout(resolve, 300));
			run.child.kill(signal);
			const result = await run.done;
			if (signal === 'SIGINT') {
				expect(result.code).toBe(130);
				expect(leftovers(btrfs)).toEqual([]);
			} else {
				expect(leftovers(btrfs)).toEqual([name]); // What a killed run cannot help leaving.
			}
		}
		const next = await runCli(['backup', '--repo', install, '--target', path.join(outside, 'after-kill'), '--method', 'snapshot', '--json']);
		expect(next.code).toBe(0);
		expect(leftovers(btrfs)).toEqual([]);
	}, 60_000);

	it('--snapshot-cmd: a script that makes a btrfs snapshot, released by --snapshot-release-cmd', async () => {
		const made = path.join(btrfs.mount, 'by-script');
		const keep = path.join(btrfs.mount, 'script-keep');
		const script = path.join(outside, 'snapshot.sh');
		fs.writeFileSync(script, `#!/bin/sh\nset -e\nbtrfs subvolume snapshot -r "${install}" "${made}" >/dev/null\necho "${made}"\n`, {mode: 0o755});
		const release = `btrfs subvolume snapshot -r "$CRX_BACKUP_SNAPSHOT" "${keep}" >/dev/null && btrfs subvolume delete "$CRX_BACKUP_SNAPSHOT" >/dev/null`;
		writer = await startLiveWriter({quickstart, controlDir: path.join(outside, 'control-2'), intensity: 'full'});
		const target = path.join(outside, 'by-command.zip');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'snapshot', '--snapshot-cmd', script, '--snapshot-release-cmd', release, '--json']);
		await writer.stop();
		writer = undefined;
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({method: 'snapshot', snapshot: {kind: 'command', released: true}});
		expect(fs.existsSync(made)).toBe(false);
		const restored = path.join(outside, 'restored');
		expect((await runCli(['restore', target, '--to', restored])).code).toBe(0);
		// A restore leaves out the running repository's repo.lock (restore/rules.ts).
		expect(Object.fromEntries(describeTree(path.join(restored, 'crx-quickstart')))).toEqual(Object.fromEntries(describeTree(path.join(keep, 'crx-quickstart'), {skip: [...EXCLUDED, 'repository/segmentstore/repo.lock']})));
		deleteSubvolume(keep);
	}, 60_000);

	it('offline with a btrfs snapshot: AEM is down only until the snapshot, then runs again', async () => {
		await installFakeAem(install, {stopDelayMs: 300, maxLifetimeMs: 120_000});
		const before = await startFakeAem(install);
		try {
			const result = await runCli(['backup', '--repo', install, '--target', path.join(outside, 'offline'), '--method', 'offline', '--json']);
			expect(result.stderr).not.toMatch(/crx-backup:/);
			expect(result.code).toBe(0);
			const summary = JSON.parse(result.stdout);
			expect(summary).toMatchObject({method: 'offline', snapshot: {kind: 'btrfs', released: true}});
			expect(summary.downtimeMs).toBeLessThan(summary.durationMs);
			expect(leftovers(btrfs)).toEqual([]);
			// bin/start returns at once, as AEM's does: the daemon is up once it wrote conf/cq.pid.
			await waitFor(() => runningFakeAem(install) !== undefined, 20_000, 'AEM to run again');
			expect(runningFakeAem(install)!.pid).not.toBe(before.pid);
		} finally {
			// Never leave a daemon on a file system afterAll unmounts: wait for the one bin/start launched.
			await waitFor(() => runningFakeAem(install) !== undefined, 20_000, 'AEM').catch(() => undefined);
			await stopFakeAem(install).catch(() => undefined);
		}
	}, 60_000);
});

describe('backup --method snapshot off btrfs', () => {
	it('is refused with exit 2 and one sentence, and nothing is written', async () => {
		const root = tempDir('crx-no-snapshot-');
		try {
			const {install} = makeInstall(root);
			const target = path.join(root, 'never');
			const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'snapshot']);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(/^crx-backup: The repository .* is not on a file system crx-backup can snapshot \(btrfs\): pass --snapshot-cmd, or use --method online or offline\.\n$/);
			expect(fs.existsSync(target)).toBe(false);
		} finally {
			fs.rmSync(root, {recursive: true, force: true});
		}
	});
});
