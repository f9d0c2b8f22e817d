import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {faultDir, stateEnv} from '../support/faults.js';
import {opCalls, startAemRig, type AemRig} from '../support/aem.js';

/**
 * --aem against the JMX emulation (source/demo/fake-aem/jmx-server.ts): a real HTTP
 * server on 127.0.0.1 whose blockRepositoryWrites pauses a live writer. Every
 * test counts the block and unblock requests the console received: a thaw that
 * never runs leaves AEM read-only.
 */
// One AEM for the file (starting the writer is most of a test's time); each test resets the faults and
// GC states, and looks only at the requests and writer events after its own start.
let rig: AemRig;
let rigRoot: string;
beforeAll(async () => {
	rigRoot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crx-aem-rig-')));
	rig = await startAemRig(rigRoot);
}, 60_000);
afterAll(async () => {
	await rig?.close();
	fs.rmSync(rigRoot, {recursive: true, force: true});
});

async function setUp() {
	const root = faultDir('crx-aem-');
	rig.setFaults({});
	rig.setConsole({form: 'html', slingJson: true, blockShowsInBackupInProgress: false});
	for (const run of [rig.server.state.backup, rig.server.state.revisionGc, rig.server.state.datastoreGc]) run.cancel();
	const mark = {requests: rig.requests().length, events: rig.writerEvents().length};
	const view = {
		...rig,
		requests: () => rig.requests().slice(mark.requests),
		writerEvents: () => rig.writerEvents().slice(mark.events),
	} as AemRig;
	const env = {...stateEnv(root), CRX_BACKUP_AEM_PASSWORD: rig.password, HOME: root};
	return {root, rig: view, env, args: (target: string, ...more: string[]) => ['backup', '--repo', rig.install, '--target', path.join(root, target), '--aem', rig.url, ...more]};
}

/** An address nothing listens on: a port just freed. */
async function closedPort(): Promise<string> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return `http://127.0.0.1:${port}`;
}

const oneLine = (stderr: string) => stderr.trim().split('\n').filter(line => line.startsWith('crx-backup:'));

test('writes are blocked through AEM exactly around stage 4: one block, one unblock, the writer still in between', async () => {
	const {rig, env, args} = await setUp();
	// Confirmed only because this AEM reports the block in BackupInProgress (see aem-console-forms.test.ts for one that does not).
	rig.setConsole({blockShowsInBackupInProgress: true});
	for (const target of ['dir', 'b.zip']) {
		const before = {block: opCalls(rig, 'blockRepositoryWrites').length, events: rig.writerEvents().length};
		const result = await runCli([...args(target), '--json'], {env});
		expect(result.code, result.stderr).toBe(0);
		const summary = JSON.parse(result.stdout) as {writesBlocked: boolean; writesBlockedMs: number; startedAt: string; finishedAt: string; zipDurationMs?: number; stages: Array<{durationMs: number}>};
		expect(summary.writesBlocked).toBe(true);
		const blocks = opCalls(rig, 'blockRepositoryWrites').slice(before.block);
		const unblocks = opCalls(rig, 'unblockRepositoryWrites').slice(before.block);
		expect(blocks).toHaveLength(1);
		expect(unblocks).toHaveLength(1);
		// After stages 1-3 (their durations, from the start), unblocked before the zip step and the end.
		const started = Date.parse(summary.startedAt);
		const firstThree = summary.stages.slice(0, 3).reduce((sum, stage) => sum + stage.durationMs, 0);
		expect(blocks[0]!.at).toBeGreaterThanOrEqual(started + firstThree - 50);
		expect(unblocks[0]!.at).toBeGreaterThan(blocks[0]!.at);
		expect(unblocks[0]!.at).toBeLessThanOrEqual(Date.parse(summary.finishedAt) - (summary.zipDurationMs ?? 0) + 50);
		// The writer's own log: frozen once, thawed once, for about the time the backup says writes were blocked.
		const mine = rig.writerEvents().slice(before.events).filter(e => e.event === 'frozen' || e.event === 'thawed');
		expect(mine.map(e => e.event)).toEqual(['frozen', 'thawed']);
		// Frozen only after AEM was asked to block, thawed only after it was asked to unblock: the writer's frozen
		// time lies inside the block the backup measured (ordering, not a duration a loaded machine stretches).
		expect(mine[0]!.at).toBeGreaterThanOrEqual(blocks[0]!.at);
		expect(mine[1]!.at).toBeGreaterThanOrEqual(unblocks[0]!.at);
		expect(summary.writesBlockedMs).toBeGreaterThan(0);
		expect(rig.server.state.writesBlocked).toBe(false);
	}
}, 60_000);

test('a block that hangs past --freeze-timeout fails in one sentence, and the unblock still runs', async () => {
	const {rig, env, args} = await setUp();
	rig.setFaults({hang: ['blockRepositoryWrites']});
	// The block hangs for ever: only the timeout ends this run (the test's own timeout fails it otherwise).
	const result = await runCli(args('hang', '--freeze-timeout', '1'), {env});
	expect(result.code, result.stderr).toBe(1);
	expect(oneLine(result.stderr)).toEqual([expect.stringMatching(/^crx-backup: AEM at http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s while blocking repository writes\.$/)]);
	expect(opCalls(rig, 'unblockRepositoryWrites')).toHaveLength(1);
	// The hanging block did freeze the writer (as a slow AEM would): the unblock let it go.
	expect(rig.writerEvents().map(e => e.event).filter(e => e === 'frozen' || e === 'thawed')).toEqual(['frozen', 'thawed']);
	expect(rig.server.state.writesBlocked).toBe(false);
}, 60_000);

test('a block answered with HTTP 500 fails in one sentence and still unblocks; a failed unblock says writes may still be blocked', async () => {
	const {rig, env, args} = await setUp();
	rig.setFaults({fail: ['blockRepositoryWrites']});
	const failed = await runCli(args('five'), {env});
	expect(failed.code, failed.stderr).toBe(1);
	expect(oneLine(failed.stderr)).toEqual([expect.stringMatching(/answered HTTP 500 while blocking repository writes: see AEM's error\.log\.$/)]);
	expect(opCalls(rig, 'unblockRepositoryWrites')).toHaveLength(1);

	rig.setFaults({fail: ['unblockRepositoryWrites']});
	const stuck = await runCli(args('stuck'), {env});
	expect(stuck.code, stuck.stderr).toBe(1);
	expect(oneLine(stuck.stderr)).toEqual([expect.stringMatching(/^crx-backup: Repository writes may still be blocked: unblockRepositoryWrites at http:\/\/127\.0\.0\.1:\d+ failed \(HTTP 500\), so call it by hand in AEM's JMX console\.$/)]);
	expect(opCalls(rig, 'unblockRepositoryWrites')).toHaveLength(2); // Not retried.
}, 60_000);

test('SIGINT while the block hangs: exit 130 at once, and the unblock runs once', async () => {
	const {rig, env, args} = await setUp();
	rig.setFaults({hang: ['blockRepositoryWrites']});
	// A freeze timeout far past the test's own: only the SIGINT can end this run in time.
	const {child, done} = startCli(args('cancel', '--freeze-timeout', '3600'), {env});
	await waitFor(() => opCalls(rig, 'blockRepositoryWrites').length === 1, 30_000, 'the block request');
	child.kill('SIGINT');
	const result = await done;
	expect(result.code, result.stderr).toBe(130);
	expect(opCalls(rig, 'unblockRepositoryWrites')).toHaveLength(1);
	expect(rig.server.state.writesBlocked).toBe(false);
	expect(fs.existsSync(path.join(path.dirname(rig.install), 'cancel/crx-backup-manifest.jsonl'))).toBe(false);
}, 60_000);

test("AEM's own backup, a revision GC or a datastore GC refuses the start (exit 2, nothing written); --force goes on with a warning", async () => {
	const {root, rig, env, args} = await setUp();
	const runs = [
		['its own online backup', () => rig.server.state.backup.start(60_000), () => rig.server.state.backup.cancel()],
		['revision garbage collection', () => rig.server.state.revisionGc.start(60_000), () => rig.server.state.revisionGc.cancel()],
		['datastore garbage collection', () => rig.server.state.datastoreGc.start(60_000), () => rig.server.state.datastoreGc.cancel()],
	] as const;
	for (const [what, start, stop] of runs) {
		start();
		const result = await runCli(args('refused'), {env});
		expect(result.code, result.stderr).toBe(2);
		expect(oneLine(result.stderr)).toEqual([`crx-backup: AEM at ${rig.url} is running ${what}: start the backup once it has finished (never concurrently), or give --force to start anyway.`]);
		expect(fs.existsSync(path.join(root, 'refused'))).toBe(false);
		expect(opCalls(rig, 'blockRepositoryWrites')).toHaveLength(0);
		stop();
	}
	rig.server.state.revisionGc.start(60_000);
	const forced = await runCli([...args('forced', '--force'), '--json'], {env});
	expect(forced.code, forced.stderr).toBe(0);
	expect((JSON.parse(forced.stdout) as {warnings: string[]}).warnings).toContain('Started while AEM was running revision garbage collection (--force).');
}, 60_000);

test('a status no source gives refuses the start (exit 2, nothing written), naming each; --force goes on with that warning', async () => {
	const {root, rig, env, args} = await setUp();
	rig.setFaults({fail: ['attributes']});
	const refused = await runCli(args('unread'), {env});
	expect(refused.code, refused.stderr).toBe(2);
	expect(oneLine(refused.stderr)).toEqual([
		`crx-backup: AEM at ${rig.url} did not say whether its own online backup, revision garbage collection or datastore garbage collection are running `
		+ "(Repository.BackupInProgress, RepositoryManagement.RevisionGCStatus, SegmentRevisionGarbageCollection.RevisionGCRunning, RepositoryManagement.DataStoreGCStatus: Sling's JSON answered HTTP 500; the JMX console answered HTTP 500): "
		+ 'a backup must not run concurrently with them, so find why AEM does not give its status, or give --force to start without knowing.',
	]);
	expect(fs.existsSync(path.join(root, 'unread'))).toBe(false);
	expect(opCalls(rig, 'blockRepositoryWrites')).toHaveLength(0);
	const forced = await runCli([...args('forced', '--force'), '--json'], {env});
	expect(forced.code, forced.stderr).toBe(0);
	expect((JSON.parse(forced.stdout) as {warnings: string[]}).warnings.filter(w => w.includes('did not say whether'))).toEqual([expect.stringMatching(/; started anyway \(--force\)\.$/)]);
}, 60_000);

test('a wrong password, a refused connection, no password at all and an untrusted certificate: one sentence each, nothing written', async () => {
	const {root, rig, env, args} = await setUp();
	const wrong = await runCli(args('wrong'), {env: {...env, CRX_BACKUP_AEM_PASSWORD: 'not-it'}});
	expect(wrong.code).toBe(2);
	expect(oneLine(wrong.stderr)).toEqual([`crx-backup: AEM at ${rig.url} refused the user "admin" (HTTP 401) while reading Repository.BackupInProgress: check --aem-user and the password in CRX_BACKUP_AEM_PASSWORD or ~/.netrc.`]);

	const closed = await closedPort();
	const refused = await runCli([...args('refused').slice(0, -2), '--aem', closed], {env});
	expect(refused.code).toBe(1);
	expect(oneLine(refused.stderr)).toEqual([`crx-backup: AEM at ${closed} refused the connection while reading Repository.BackupInProgress: is AEM running, and is --aem its address?`]);

	const none = await runCli(args('none'), {env: {...env, CRX_BACKUP_AEM_PASSWORD: ''}});
	expect(none.code).toBe(2);
	expect(oneLine(none.stderr)).toEqual([expect.stringMatching(/^crx-backup: No password for AEM at 127\.0\.0\.1:\d+: set CRX_BACKUP_AEM_PASSWORD or add/)]);
	// A self-signed certificate: the TLS failure is named, in one sentence.
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(root, 'key.pem'), '-out', path.join(root, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], {stdio: 'ignore'});
	const tls = https.createServer({key: fs.readFileSync(path.join(root, 'key.pem')), cert: fs.readFileSync(path.join(root, 'cert.pem'))}, (_, response) => response.end('false'));
	await new Promise<void>(resolve => tls.listen(0, '127.0.0.1', resolve));
	const tlsUrl = `https://127.0.0.1:${(tls.address() as net.AddressInfo).port}`;
	try {
		const untrusted = await runCli([...args('tls').slice(0, -2), '--aem', tlsUrl], {env});
		expect(untrusted.code).toBe(1);
		expect(oneLine(untrusted.stderr)).toEqual([`crx-backup: The TLS connection to AEM at ${tlsUrl} failed while reading Repository.BackupInProgress (DEPTH_ZERO_SELF_SIGNED_CERT): check its certificate, or set NODE_EXTRA_CA_CERTS for a private CA.`]);
	} finally {
		tls.closeAllConnections();
		await new Promise(resolve => tls.close(resolve));
	}
	for (const name of ['wrong', 'refused', 'none', 'tls']) expect(fs.existsSync(path.join(root, name))).toBe(false);
	expect(fs.readdirSync(root).filter(name => name.startsWith('.crx-backup'))).toEqual([]);
}, 60_000);
