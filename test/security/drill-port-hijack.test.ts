/**
 * A drill without a network namespace (--allow-network) shares the host's loopback: its port is checked free
 * before verify and restore, long before its AEM starts. Another process that listens there in between is not
 * the drill's AEM: the drill must not take its answer for "AEM came up", nor send it the admin's password.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort} from '../../source/engine/drill/isolation.js';
import {drillFixture, drillJvms, type DrillFixture} from '../support/drill.js';
import {chownTree, cliForOthers, localUser, quote, type LocalUser} from '../support/local-user.js';

const user = localUser();
const skip = typeof user === 'string' ? user : (fs.statSync(process.execPath).mode & 0o005) !== 0o005 ? `${process.execPath} is not executable by other users` : undefined;

describe.skipIf(skip !== undefined)(skip ?? 'a drill whose port another process takes', () => {
	const aem = user as LocalUser;
	let fixture: DrillFixture;
	beforeAll(async () => {
		fixture = await drillFixture('crx-drill-hijack-', {startupMs: 0, bundlesMs: 0}, {owner: install => chownTree(install, aem)});
	});
	afterAll(() => {
		fs.rmSync(fixture.root, {recursive: true, force: true, maxRetries: 20, retryDelay: 250});
	});

	it('is not up, and the other listener never sees the admin credentials', async () => {
		const dir = fs.mkdtempSync(path.join(fixture.root, 'as-user-'));
		fs.chmodSync(dir, 0o755);
		const runner = cliForOthers(dir, aem);
		if (typeof runner === 'string') throw new Error(runner);
		const state = path.join(dir, 'state');
		const own = path.join(dir, 'backups');
		fs.mkdirSync(state, {mode: 0o700});
		fs.mkdirSync(own, {mode: 0o755});
		chownTree(state, aem);
		chownTree(own, aem);
		// No unshare on its PATH (every other tool is): no namespace can be made, so --allow-network runs on the host's loopback.
		const tools = path.join(dir, 'tools');
		fs.mkdirSync(tools, {mode: 0o755});
		for (const bin of ['/usr/local/bin', '/usr/bin', '/bin']) {
			for (const name of fs.existsSync(bin) ? fs.readdirSync(bin) : []) {
				if (name !== 'unshare' && !fs.existsSync(path.join(tools, name))) fs.symlinkSync(path.join(bin, name), path.join(tools, name));
			}
		}
		const env = {PATH: tools, NO_COLOR: '1', CRX_BACKUP_STATE_DIR: state, CRX_BACKUP_AEM_PASSWORD: 'admin'};
		const as = (args: string[]) => spawn('runuser', ['-u', aem.name, '--', 'env', '-i', ...Object.entries(env).map(([key, value]) => `${key}=${value}`), runner.node, runner.cli, ...args], {cwd: '/', stdio: ['ignore', 'pipe', 'pipe']});
		const made = as(['backup', '--repo', fixture.install, '--target', path.join(own, 'mine')]);
		expect(await new Promise(resolve => made.on('close', resolve)), `backup as ${quote(aem.name)}`).toBe(0);

		// The other listener (root's: another user than the drill's) answers as a ready AEM would, and logs what it is sent.
		const seen: Array<{url: string; authorization?: string}> = [];
		const impostor = http.createServer((request, response) => {
			seen.push({url: request.url ?? '', ...(request.headers.authorization ? {authorization: request.headers.authorization} : {})});
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify({status: 'Bundle information: 1 bundles in total - all 1 bundles active.', s: [1, 1, 0, 0, 0]}));
		});
		const port = await freePort();
		const run = as(['drill', '--repo', fixture.install, '--dir', own, '--allow-network', '--port', String(port), '--json', '--start-timeout', '1m']);
		let stdout = '';
		let stderr = '';
		// The drill checked its port before verifying; the impostor listens as soon as it verifies, long before its AEM starts.
		const listening = new Promise<void>((resolve, reject) => {
			run.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString();
				if (stderr.includes('drill: verify…') && !impostor.listening) impostor.once('error', reject).listen(port, '127.0.0.1', resolve);
			});
		});
		run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		const code = new Promise<number | null>(resolve => run.on('close', resolve));
		await listening;
		try {
			expect(await code, stderr).toBe(1);
		} finally {
			impostor.close();
		}
		expect(seen.filter(request => request.authorization !== undefined)).toEqual([]);
		const summary = JSON.parse(stdout) as {result: string; sentence: string; isolation: string};
		expect(summary).toMatchObject({result: 'not-up', isolation: 'none'});
		// The fake AEM, whose HTTP server cannot bind, may exit before the first probe: then it "did not start" (or its
		// JVM exited). While it lives, the probe finds the port held by another user's socket (whose pid the drill's
		// user cannot read) and stops there.
		expect(summary.sentence).toMatch(new RegExp(`^AEM restored from mine (was not probed: port ${port} is answered by a process that is not the drill's AEM \\(uid 0\\)\\.|did not start|was not ready within .* \\(its JVM exited\\))`));
		expect(drillJvms({...fixture, backups: own})).toEqual([]);
	}, 180_000);
});
