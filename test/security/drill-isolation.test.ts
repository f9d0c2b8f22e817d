/**
 * A drill never reaches production and never runs another user's code as root: as root its AEM runs as the
 * install's owner, in a network namespace with loopback only, where the fake AEM's "replication agent" cannot
 * reach an address the host reaches; not root, the owner's drill makes a user namespace and a network namespace of
 * its own; with no namespace at all the drill is refused unless --allow-network.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startCli} from '../support/cli.js';
import {drillFixture, drillJvms, replicationLines, type DrillFixture} from '../support/drill.js';
import {chownTree, cliForOthers, localUser, runCliAs, type LocalUser} from '../support/local-user.js';

const user = localUser();
const skip = typeof user === 'string' ? user : (fs.statSync(process.execPath).mode & 0o005) !== 0o005 ? `${process.execPath} is not executable by other users` : undefined;
/** An address of this host other than loopback (the fake's outside target); loopback where there is none, which the namespace has its own of. */
const outsideAddress = Object.values(os.networkInterfaces()).flat().find(entry => entry?.family === 'IPv4' && !entry.internal)?.address ?? '127.0.0.1';

describe.skipIf(skip !== undefined)(skip ?? 'drill as root on an install another user owns', () => {
	const aem = user as LocalUser;
	let fixture: DrillFixture;
	let server: http.Server;
	const reached: string[] = [];

	beforeAll(async () => {
		server = http.createServer((request, response) => {
			reached.push(`${request.method} ${request.url}`);
			response.end('ok');
		});
		await new Promise<void>(resolve => server.listen(0, '0.0.0.0', resolve));
		const outsideUrl = `http://${outsideAddress}:${(server.address() as {port: number}).port}/bin/receive`;
		fixture = await drillFixture('crx-drill-root-', {outsideUrl, startupMs: 0, bundlesMs: 0}, {owner: install => chownTree(install, aem)});
	});
	afterAll(() => {
		server.close();
		fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250});
	});

	it('the host itself reaches the outside address the fake AEM tries (the check below can fail)', async () => {
		const answer = await fetch(`http://${outsideAddress}:${(server.address() as {port: number}).port}/probe`);
		expect(answer.status).toBe(200);
		expect(reached).toEqual(['GET /probe']);
		reached.length = 0;
	});

	it('runs AEM as the owner, in a namespace where the outside address is unreachable', async () => {
		const run = startCli(['drill', '--repo', fixture.install, '--dir', fixture.backups, '--keep', '--json', '--start-timeout', '2m'], {env: fixture.env});
		const uids = new Set<number>();
		let finished = false;
		void run.done.then(() => (finished = true));
		while (!finished) {
			for (const jvm of drillJvms(fixture)) uids.add(jvm.uid);
			await new Promise(resolve => setTimeout(resolve, 20));
		}
		const result = await run.done;
		expect(result.stderr.match(/^crx-backup: .*$/gm) ?? []).toEqual([]);
		expect(result.code).toBe(0);
		const summary = JSON.parse(result.stdout) as {isolation: string; uid: number; scratch: string; restored: string; kept: boolean};
		expect(summary).toMatchObject({isolation: 'namespace', uid: aem.uid, kept: true});
		expect([...uids]).toEqual([aem.uid]);
		expect(fs.statSync(path.join(summary.restored, 'crx-quickstart')).uid).toBe(aem.uid);
		// The attempt was made, and failed: nothing reached the host's server.
		expect(replicationLines(summary.restored)).toEqual([expect.stringMatching(/^replication agent: could not reach http:\/\/.* \((ENETUNREACH|ECONNREFUSED|EHOSTUNREACH)\)$/)]);
		expect(reached).toEqual([]);
		// Kept, but stopped: no JVM works there any more.
		expect(drillJvms(fixture)).toEqual([]);
		fs.rmSync(summary.scratch, {recursive: true, force: true});
	}, 120_000);

	it('not root, the owner drills in a user and network namespace of its own: AEM as that user, the outside unreachable; without a namespace it is refused unless --allow-network, which reaches the outside', async () => {
		const dir = fs.mkdtempSync(path.join(fixture.root, 'as-user-'));
		fs.chmodSync(dir, 0o755);
		const runner = cliForOthers(dir, aem);
		if (typeof runner === 'string') throw new Error(runner);
		const state = path.join(dir, 'state');
		fs.mkdirSync(state, {mode: 0o700});
		chownTree(state, aem);
		// The owner makes its own backups (cron as the install's owner), so its drill and its status share one state folder.
		const own = path.join(dir, 'backups');
		fs.mkdirSync(own, {mode: 0o755});
		chownTree(own, aem);
		const made = await runCliAs(aem, runner, ['backup', '--repo', fixture.install, '--target', path.join(own, 'mine')], {CRX_BACKUP_STATE_DIR: state});
		expect(made.code, made.stderr).toBe(0);
		const env = {CRX_BACKUP_STATE_DIR: state, CRX_BACKUP_AEM_PASSWORD: 'admin'};

		// Whether this kernel lets an unprivileged user make a user namespace (a sysctl can forbid it): then the drill must refuse.
		const userNamespaces = spawnSync('runuser', ['-u', aem.name, '--', 'unshare', '--user', '--map-root-user', '--net', 'true']).status === 0;
		const isolated = await runCliAs(aem, runner, ['drill', '--repo', fixture.install, '--dir', own, '--json', '--keep', '--start-timeout', '2m'], env);
		if (!userNamespaces) {
			expect(isolated.code).toBe(2);
			expect(isolated.stderr).toMatch(/^crx-backup: The drill cannot run AEM in a network namespace of its own \(unshare --user --map-root-user --net failed with exit code \d+\)/);
			return;
		}
		expect(isolated.stderr.match(/^crx-backup: .*$/gm) ?? []).toEqual([]);
		expect(isolated.code).toBe(0);
		const inside = JSON.parse(isolated.stdout) as {isolation: string; uid: number; scratch: string; restored: string};
		expect(inside).toMatchObject({isolation: 'namespace', uid: aem.uid});
		expect(fs.statSync(path.join(inside.restored, 'crx-quickstart')).uid).toBe(aem.uid);
		expect(replicationLines(inside.restored)).toEqual([expect.stringMatching(/^replication agent: could not reach http:\/\/.* \((ENETUNREACH|ECONNREFUSED|EHOSTUNREACH)\)$/)]);
		expect(reached).toEqual([]);
		fs.rmSync(inside.scratch, {recursive: true, force: true});
		const status = await runCliAs(aem, runner, ['status', '--repo', fixture.install, '--dir', own, '--max-drill-age', '8d', '--json'], env);
		expect((JSON.parse(status.stdout) as {drill: {fresh: boolean}}).drill.fresh).toBe(true);

		// No unshare to be found (a PATH of every tool but unshare): no namespace, so the drill is refused, saying why, and writes nothing.
		const tools = path.join(dir, 'tools');
		fs.mkdirSync(tools, {mode: 0o755});
		for (const bin of ['/usr/local/bin', '/usr/bin', '/bin']) {
			for (const name of fs.existsSync(bin) ? fs.readdirSync(bin) : []) {
				if (name !== 'unshare' && !fs.existsSync(path.join(tools, name))) fs.symlinkSync(path.join(bin, name), path.join(tools, name));
			}
		}
		const refused = await runCliAs(aem, runner, ['drill', '--repo', fixture.install, '--dir', own], {...env, PATH: tools});
		expect(refused.code).toBe(2);
		expect(refused.stderr.trim()).toBe('crx-backup: The drill cannot run AEM in a network namespace of its own (unshare could not run: ENOENT), so the restored AEM could reach production systems: pass --allow-network to run it anyway.');
		expect(fs.readdirSync(own).filter(name => name.startsWith('.crx-backup-drill-'))).toEqual([]);

		// With --allow-network it runs without a namespace: the outside address is reached, as the refusal warned.
		const allowed = await runCliAs(aem, runner, ['drill', '--repo', fixture.install, '--dir', own, '--allow-network', '--json', '--keep', '--start-timeout', '2m'], {...env, PATH: tools});
		expect(allowed.stderr.match(/^crx-backup: .*$/gm) ?? []).toEqual([]);
		expect(allowed.code).toBe(0);
		const summary = JSON.parse(allowed.stdout) as {isolation: string; uid: number; scratch: string; restored: string};
		expect(summary).toMatchObject({isolation: 'none', uid: aem.uid});
		expect(replicationLines(summary.restored)).toEqual([expect.stringMatching(/^replication agent: reached http:\/\/.* \(HTTP 200\)$/)]);
		expect(reached).toEqual(['POST /bin/receive']);
		fs.rmSync(summary.scratch, {recursive: true, force: true});
	}, 180_000);
});
