/**
 * An external datastore with the backup methods: an install whose FileDataStore lies outside
 * crx-quickstart (and outside the btrfs snapshot: its records are immutable, so
 * it is copied live) backs up with --method snapshot and --method offline and
 * restores, byte for byte, to a working layout; and --aem drives the snapshot's
 * freeze through AEM's JMX switches, blocking writes only across the snapshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runningFakeAem, startFakeAem, stopFakeAem} from '../../source/demo/fake-aem/control.js';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {addExternalDatastore} from '../../source/demo/external-datastore.js';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli, waitFor} from '../support/cli.js';
import {opCalls, startAemRig, type AemRig} from '../support/aem.js';
import {stateEnv, treeDigest} from '../support/faults.js';
import {makeBtrfs, methodsFsUnavailable, type Btrfs} from '../support/methods-fs.js';
import {tempDir} from '../support/trees.js';

const unavailable = methodsFsUnavailable();
if (unavailable) console.warn(`Skipping the btrfs tests of methods-datastore: ${unavailable}.`);
const content = (dir: string) => treeDigest(dir, {meta: false});
const leftovers = (btrfs: Btrfs) => btrfs.subvolumes().filter(name => name.includes('crx-backup-snapshot'));
const manifestHeader = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'crx-backup-manifest.jsonl'), 'utf8').split('\n')[0]!);

/** Restores `target` and checks the layout: crx-quickstart as `expected` (less what backups leave out), the datastore as `datastore` was. */
async function restoreAndCompare(target: string, to: string, expectedQuickstart: string, datastoreBefore: Record<string, string>, env: NodeJS.ProcessEnv, datastoreTo?: string) {
	const restored = await runCli(['restore', target, '--to', to, ...(datastoreTo ? ['--datastore-to', datastoreTo] : []), '--json'], {env});
	expect(restored.code, restored.stderr).toBe(0);
	const where = JSON.parse(restored.stdout).datastore.to as string;
	expect(content(where)).toEqual(datastoreBefore);
	// A running AEM's cq.pid and repo.lock are never restored (restore/rules.ts).
	const {'conf/cq.pid': _pid, 'repository/segmentstore/repo.lock': _lock, ...expected} = treeDigest(expectedQuickstart, {meta: false, backupView: true}) as Record<string, string>;
	expect(content(path.join(to, 'crx-quickstart'))).toEqual(expected);
	expect(fs.readdirSync(to).sort()).toEqual(['.crx-restored', 'crx-quickstart']); // external-datastore/ went to its own place.
	return where;
}

describe.skipIf(unavailable)('an external datastore with --method snapshot (btrfs), and --aem', () => {
	let btrfs: Btrfs;
	let outside: string;
	let rig: AemRig | undefined;
	let install = '';

	beforeAll(() => {
		btrfs = makeBtrfs();
		outside = tempDir('crx-methods-ds-');
	});

	afterAll(async () => {
		await rig?.close().catch(() => undefined);
		// Never leave a daemon on a file system dispose() unmounts.
		const aem = install ? runningFakeAem(install) : undefined;
		if (aem) await stopFakeAem(install).catch(() => process.kill(aem.pid, 'SIGKILL'));
		btrfs?.dispose();
		fs.rmSync(outside, {recursive: true, force: true});
	});

	it('backs up crx-quickstart from the snapshot and the datastore live; both kinds restore byte for byte', async () => {
		install = btrfs.subvolume('aem');
		const {quickstart} = await generateRepository(install, {sizeBytes: 1024 * 1024, seed: 23});
		const datastore = path.join(outside, 'mnt', 'datastore'); // Another file system: not in the snapshot.
		addExternalDatastore(quickstart, datastore, {place: 'install'});
		const datastoreBefore = content(datastore);
		const env = stateEnv(outside);
		for (const kind of ['directory', 'zip'] as const) {
			const target = path.join(outside, kind === 'zip' ? 'snap.zip' : 'snap');
			const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'snapshot', '--json'], {env});
			expect(result.code, result.stderr).toBe(0);
			expect(JSON.parse(result.stdout)).toMatchObject({method: 'snapshot', snapshot: {kind: 'btrfs', released: true}});
			expect(leftovers(btrfs)).toEqual([]);
			if (kind === 'directory') expect(manifestHeader(target).storage).toMatchObject({datastorePath: datastore, externalDatastoreIncluded: true});
			await restoreAndCompare(target, path.join(outside, `restored-${kind}`), quickstart, datastoreBefore, env, path.join(outside, `ds-${kind}`));
		}
		// A new machine: no datastore where the manifest says; the restore puts it back there when the operator names it.
		fs.renameSync(datastore, `${datastore}.old`);
		const where = await restoreAndCompare(path.join(outside, 'snap.zip'), path.join(outside, 'restored-home'), quickstart, datastoreBefore, env, datastore);
		expect(where).toBe(datastore);
		fs.rmSync(datastore, {recursive: true}); // The original back, for the next test.
		fs.renameSync(`${datastore}.old`, datastore);
	}, 60_000);

	it('offline on btrfs: AEM runs again right after the snapshot, the datastore is copied live; restores byte for byte', async () => {
		const quickstart = path.join(install, 'crx-quickstart');
		const datastore = path.join(outside, 'mnt', 'datastore');
		const datastoreBefore = content(datastore);
		await installFakeAem(install, {stopDelayMs: 200, maxLifetimeMs: 120_000});
		await startFakeAem(install);
		const atSnapshot = path.join(outside, 'at-snapshot');
		// The start command runs right after the snapshot, AEM down until then: its copy is the tree the snapshot holds.
		const startCmd = `rm -rf "${atSnapshot}" && cp -a "${quickstart}" "${atSnapshot}" && "${quickstart}/bin/start"`;
		const env = stateEnv(outside);
		const target = path.join(outside, 'offline');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--start-cmd', startCmd, '--json'], {env});
		expect(result.code, result.stderr).toBe(0);
		const summary = JSON.parse(result.stdout);
		expect(summary).toMatchObject({method: 'offline', snapshot: {kind: 'btrfs', released: true}});
		expect(summary.downtimeMs).toBeLessThan(summary.durationMs);
		expect(leftovers(btrfs)).toEqual([]);
		await waitFor(() => runningFakeAem(install) !== undefined, 20_000, 'AEM to run again');
		await restoreAndCompare(target, path.join(outside, 'restored-offline'), atSnapshot, datastoreBefore, env, path.join(outside, 'ds-offline'));
		await stopFakeAem(install);
	}, 60_000);

	it('--aem: one block and one unblock, around the snapshot only, before the copy', async () => {
		rig = await startAemRig(btrfs.subvolume('rig'));
		rig.setConsole({blockShowsInBackupInProgress: true}); // This AEM confirms the block (see test/faults/aem-console-forms.test.ts).
		const root = path.join(outside, 'aem');
		fs.mkdirSync(root);
		const env = {...stateEnv(root), CRX_BACKUP_AEM_PASSWORD: rig.password, HOME: root};
		const result = await runCli(['backup', '--repo', rig.install, '--target', path.join(root, 'b.zip'), '--method', 'snapshot', '--aem', rig.url, '--json'], {env});
		expect(result.code, result.stderr).toBe(0);
		const summary = JSON.parse(result.stdout) as {method: string; snapshot: {released: boolean}; writesBlocked: boolean; writesBlockedMs: number; durationMs: number; finishedAt: string; zipDurationMs: number; stages: Array<{durationMs: number}>};
		expect(summary).toMatchObject({method: 'snapshot', writesBlocked: true, snapshot: {released: true}});
		expect(summary.stages).toHaveLength(1);
		const blocks = opCalls(rig, 'blockRepositoryWrites');
		const unblocks = opCalls(rig, 'unblockRepositoryWrites');
		expect(blocks).toHaveLength(1);
		expect(unblocks).toHaveLength(1);
		// Unblocked before the one pass began: the copy (and the zip) ran with AEM writing again.
		const copyStarted = Date.parse(summary.finishedAt) - summary.zipDurationMs - summary.stages[0]!.durationMs;
		expect(unblocks[0]!.at).toBeLessThanOrEqual(copyStarted + 50);
		const events = rig.writerEvents().filter(event => event.event === 'frozen' || event.event === 'thawed');
		expect(events.map(event => event.event)).toEqual(['frozen', 'thawed']);
		expect(events[0]!.at).toBeGreaterThanOrEqual(blocks[0]!.at);
		expect(events[1]!.frozenMs!).toBeLessThan(summary.durationMs);
		expect(summary.writesBlockedMs).toBeLessThan(summary.durationMs);
		expect(rig.server.state.writesBlocked).toBe(false);
		expect(leftovers(btrfs)).toEqual([]);
	}, 60_000);

	it('--aem: a block that hangs past --freeze-timeout fails in one sentence, unblocks once, and leaves no snapshot', async () => {
		const aem = rig!;
		const root = path.join(outside, 'aem-hang');
		fs.mkdirSync(root);
		const env = {...stateEnv(root), CRX_BACKUP_AEM_PASSWORD: aem.password, HOME: root};
		const before = opCalls(aem, 'unblockRepositoryWrites').length;
		aem.setFaults({hang: ['blockRepositoryWrites']});
		try {
			const result = await runCli(['backup', '--repo', aem.install, '--target', path.join(root, 'never'), '--method', 'snapshot', '--aem', aem.url, '--freeze-timeout', '1'], {env});
			expect(result.code, result.stderr).toBe(1);
			expect(result.stderr.split('\n').filter(line => line.startsWith('crx-backup:'))).toEqual([expect.stringMatching(/did not answer within 1 s while blocking repository writes\.$/)]);
		} finally {
			aem.setFaults({});
		}
		expect(opCalls(aem, 'unblockRepositoryWrites').length - before).toBe(1);
		expect(aem.server.state.writesBlocked).toBe(false);
		expect(leftovers(btrfs)).toEqual([]);
	}, 60_000);
});

describe('an external datastore with --method offline (fake AEM)', () => {
	let root: string;
	let install: string;

	beforeAll(() => {
		root = tempDir('crx-offline-ds-');
		install = path.join(root, 'AEM');
	});

	afterAll(async () => {
		const aem = runningFakeAem(install);
		if (aem) await stopFakeAem(install).catch(() => process.kill(aem.pid, 'SIGKILL'));
		fs.rmSync(root, {recursive: true, force: true});
	});

	it('backs up the tree as it was at the stop and the datastore; restores both, byte for byte', async () => {
		const {quickstart} = await generateRepository(install, {sizeBytes: 1024 * 1024, seed: 29});
		const datastore = path.join(root, 'mnt', 'datastore');
		// install/ (as generateRepository's own FileDataStore.config there would win over launchpad/config).
		addExternalDatastore(quickstart, datastore, {place: 'install'});
		await installFakeAem(install, {stopDelayMs: 200, maxLifetimeMs: 120_000});
		await startFakeAem(install);
		const datastoreBefore = content(datastore);
		const atStop = path.join(root, 'at-stop');
		// The start command first copies the tree: AEM was down all along, so this is the tree at the stop.
		const startCmd = `rm -rf "${atStop}" && cp -a "${quickstart}" "${atStop}" && "${quickstart}/bin/start"`;
		const env = stateEnv(root);
		const target = path.join(root, 'offline.zip');
		const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'offline', '--start-cmd', startCmd, '--json'], {env});
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject({method: 'offline', writesBlocked: true});
		await waitFor(() => runningFakeAem(install) !== undefined, 20_000, 'AEM to run again');
		await restoreAndCompare(target, path.join(root, 'restored'), atStop, datastoreBefore, env, path.join(root, 'ds-restored'));
	}, 60_000);
});
