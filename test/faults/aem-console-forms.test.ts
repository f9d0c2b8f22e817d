import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import type {ConsoleForm} from '../../source/demo/fake-aem/console-forms.js';
import {runCli} from '../support/cli.js';
import {faultDir, stateEnv} from '../support/faults.js';
import {opCalls, startAemRig, type AemRig} from '../support/aem.js';
import {checkAem} from '../../source/engine/aem/check.js';
import {probeAem} from '../../source/engine/aem/reachable.js';

/**
 * --aem against a console that answers in each form a real one may (the fake's
 * console-forms.ts: plain CompositeDataSupport text, JSON, an HTML page, a login
 * page to everything), with and without Sling's JSON MBean resources. The backup
 * fails closed: a status it cannot read refuses the start, and writes count as
 * blocked only when AEM confirmed the block.
 */
let rig: AemRig;
let rigRoot: string;
beforeAll(async () => {
	rigRoot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crx-aem-forms-')));
	rig = await startAemRig(rigRoot);
}, 60_000);
afterAll(async () => {
	await rig?.close();
	fs.rmSync(rigRoot, {recursive: true, force: true});
});

function setUp(console: {form: ConsoleForm; slingJson: boolean}) {
	const root = faultDir('crx-aem-forms-');
	rig.setFaults({});
	rig.setConsole({...console, blockShowsInBackupInProgress: false});
	for (const run of [rig.server.state.backup, rig.server.state.revisionGc, rig.server.state.datastoreGc]) run.cancel();
	const env = {...stateEnv(root), CRX_BACKUP_AEM_PASSWORD: rig.password, HOME: root};
	const args = (target: string, ...more: string[]) => ['backup', '--repo', rig.install, '--target', path.join(root, target), '--aem', rig.url, ...more];
	return {root, env, args, blocks: opCalls(rig, 'blockRepositoryWrites').length};
}

const oneLine = (stderr: string) => stderr.trim().split('\n').filter(line => line.startsWith('crx-backup:'));
const running = (url: string) => `crx-backup: AEM at ${url} is running datastore garbage collection: start the backup once it has finished (never concurrently), or give --force to start anyway.`;

test("a datastore GC is seen whatever the console's form: from Sling's JSON first, else from a console answering plain CompositeDataSupport text or JSON", async () => {
	for (const console of [
		{form: 'html', slingJson: true}, {form: 'login', slingJson: false}, {form: 'plain', slingJson: false}, {form: 'json', slingJson: false},
	] as const) {
		const {root, env, args, blocks} = setUp(console);
		rig.server.state.datastoreGc.start(120_000);
		const result = await runCli(args('gc'), {env});
		const expected = console.form === 'login' ? /did not say whether .*datastore garbage collection.*a login page/ : undefined;
		expect(result.code, `${JSON.stringify(console)}: ${result.stderr}`).toBe(2);
		if (expected) expect(oneLine(result.stderr)).toEqual([expect.stringMatching(expected)]);
		else expect(oneLine(result.stderr), JSON.stringify(console)).toEqual([running(rig.url)]);
		expect(fs.existsSync(path.join(root, 'gc'))).toBe(false);
		expect(opCalls(rig, 'blockRepositoryWrites')).toHaveLength(blocks);
	}
}, 120_000);

test('a console answering HTML pages, without Sling\'s JSON, is not read: the start is refused naming each status and why (exit 2)', async () => {
	const {root, env, args} = setUp({form: 'html', slingJson: false});
	rig.server.state.datastoreGc.start(120_000);
	const result = await runCli(args('html'), {env});
	expect(result.code, result.stderr).toBe(2);
	const [line] = oneLine(result.stderr);
	expect(line).toMatch(/^crx-backup: AEM at http:\/\/127\.0\.0\.1:\d+ did not say whether its own online backup, revision garbage collection or datastore garbage collection are running \(/);
	expect(line).toContain("RepositoryManagement.DataStoreGCStatus: Sling's JSON answered HTTP 404; the JMX console answered an HTML page, whose layout crx-backup does not read");
	expect(fs.existsSync(path.join(root, 'html'))).toBe(false);
}, 60_000);

test('a login page to everything: refused (exit 2); with --force the backup runs, and since the block got a login page, writes blocking is not confirmed', async () => {
	const {env, args} = setUp({form: 'login', slingJson: true});
	const refused = await runCli(args('login'), {env});
	expect(refused.code, refused.stderr).toBe(2);
	expect(oneLine(refused.stderr)).toEqual([expect.stringMatching(/\(Repository\.BackupInProgress, .*: Sling's JSON was a login page; the JMX console answered a login page\): /)]);

	const forced = await runCli([...args('forced.zip', '--force'), '--json'], {env});
	expect(forced.code, forced.stderr).toBe(0);
	const summary = JSON.parse(forced.stdout) as {writesBlocked: boolean; writesBlockingNotConfirmed?: string; warnings: string[]};
	expect(summary.writesBlocked).toBe(false);
	expect(summary.writesBlockingNotConfirmed).toBe(`AEM at ${rig.url} answered blockRepositoryWrites with a login page, so it did not block writes: writes blocking not confirmed, and the last stage ran with writes going on.`);
	expect(summary.warnings).toContain(summary.writesBlockingNotConfirmed);
	expect(rig.server.state.writesBlocked).toBe(false);
}, 60_000);

test('a login page to blockRepositoryWrites alone: writesBlocked false, and the summary and --json say "writes blocking not confirmed"', async () => {
	const {env, args} = setUp({form: 'json', slingJson: true});
	rig.setFaults({login: ['blockRepositoryWrites']});
	const json = await runCli([...args('one', '--json')], {env});
	expect(json.code, json.stderr).toBe(0);
	const summary = JSON.parse(json.stdout) as {writesBlocked: boolean; writesBlockingNotConfirmed?: string};
	expect(summary).toMatchObject({writesBlocked: false, writesBlockingNotConfirmed: expect.stringContaining('answered blockRepositoryWrites with a login page')});
	expect(summary.writesBlockingNotConfirmed).toContain('writes blocking not confirmed');
	const target = (JSON.parse(json.stdout) as {target: string}).target;
	const manifest = JSON.parse(fs.readFileSync(path.join(target, 'crx-backup-manifest.jsonl'), 'utf8').split('\n')[0]!) as {writesBlocked: boolean; writesBlockingNotConfirmed?: string};
	expect(manifest).toMatchObject({writesBlocked: false, writesBlockingNotConfirmed: summary.writesBlockingNotConfirmed});

	const text = await runCli(args('two'), {env});
	expect(text.code, text.stderr).toBe(0);
	expect(text.stdout).toMatch(/^✔ Backed up \d+ files, .* to .*two in .*; writes blocking not confirmed\.$/m);
	expect(text.stdout).not.toMatch(/writes blocked/);
	expect(text.stderr).toContain('writes blocking not confirmed');
}, 60_000);

test('a block AEM accepts is confirmed only when AEM reports it (BackupInProgress read back true); otherwise "not confirmed"', async () => {
	const {env, args} = setUp({form: 'html', slingJson: true});
	const unconfirmed = await runCli(args('a', '--json'), {env});
	expect(unconfirmed.code, unconfirmed.stderr).toBe(0);
	expect(JSON.parse(unconfirmed.stdout)).toMatchObject({
		writesBlocked: false,
		writesBlockingNotConfirmed: `AEM at ${rig.url} accepted blockRepositoryWrites but did not confirm the block (Repository.BackupInProgress read back false): writes blocking not confirmed.`,
	});
	rig.setConsole({blockShowsInBackupInProgress: true});
	const confirmed = await runCli(args('b', '--json'), {env});
	expect(confirmed.code, confirmed.stderr).toBe(0);
	const summary = JSON.parse(confirmed.stdout) as {writesBlocked: boolean; writesBlockingNotConfirmed?: string};
	expect(summary.writesBlocked).toBe(true);
	expect(summary.writesBlockingNotConfirmed).toBeUndefined();
}, 60_000);

test('an answer of more than 4 MiB is not read (an AEM answer is untrusted input): the start is refused naming it', async () => {
	const {root, env, args} = setUp({form: 'json', slingJson: true});
	const flood = http.createServer((_request, response) => response.end('x'.repeat(5 * 1024 * 1024)));
	await new Promise<void>(resolve => flood.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(flood.address() as AddressInfo).port}`;
	try {
		const result = await runCli([...args('flood').slice(0, -2), '--aem', url], {env});
		expect(result.code, result.stderr).toBe(2);
		expect(oneLine(result.stderr)).toEqual([expect.stringMatching(/did not say whether .*Sling's JSON answered more than 4 MiB; the JMX console answered more than 4 MiB\): /)]);
		expect(fs.existsSync(path.join(root, 'flood'))).toBe(false);
	} finally {
		flood.closeAllConnections();
		await new Promise(resolve => flood.close(resolve));
	}
}, 60_000);

test("Home's probe and Create's checks read AEM as the backup does: a login page is not reachable, an HTML console behind Sling's JSON is", async () => {
	setUp({form: 'html', slingJson: true});
	process.env.CRX_BACKUP_AEM_PASSWORD = rig.password;
	expect(await probeAem({url: rig.url})).toEqual({reachable: true, message: `reachable at ${rig.url}`});
	expect(await checkAem({url: rig.url})).toEqual({warnings: []});
	rig.setConsole({form: 'login'});
	const probe = await probeAem({url: rig.url});
	expect(probe.reachable).toBe(false);
	expect(probe.message).toBe(`AEM at ${rig.url} answers, but not with its status (Sling's JSON was a login page; the JMX console answered a login page): a backup would refuse to start.`);
	expect((await checkAem({url: rig.url})).refusal).toMatch(/did not say whether .* \(Repository\.BackupInProgress, .*a login page\): a backup must not run concurrently with them/);
}, 30_000);
