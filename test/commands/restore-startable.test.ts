/**
 * A restore gives an install that starts: a running AEM's conf/cq.pid and
 * repo.lock are in its backup but never restored, and the next step says when
 * the AEM it was backed up from still runs on its port (stop it first, or start
 * this one with another CQ_PORT, which AEM's bin/start reads).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runningFakeAem, startFakeAem, stopFakeAem} from '../../source/demo/fake-aem/control.js';
import {installFakeAem} from '../../source/demo/fake-aem/install.js';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli} from '../support/cli.js';
import {tempDir} from '../support/trees.js';

async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

describe('restore of a running AEM\'s backup', () => {
	let root: string;
	let install: string;
	let quickstart: string;
	let port: number;
	let backup: string;

	beforeAll(async () => {
		root = fs.realpathSync(tempDir('crx-restore-start-'));
		install = path.join(root, 'AEM');
		quickstart = (await generateRepository(install, {sizeBytes: 256 * 1024, seed: 8})).quickstart;
		port = await freePort();
		await installFakeAem(install, {port, stopDelayMs: 100, exitDelayMs: 100, maxLifetimeMs: 120_000});
		await startFakeAem(install);
		backup = path.join(root, 'backup');
		const made = await runCli(['backup', '--repo', install, '--target', backup]);
		expect(made.code).toBe(0);
		// The backup holds what the running AEM had: its pid file and its lock file.
		expect(fs.existsSync(path.join(backup, 'crx-quickstart/conf/cq.pid'))).toBe(true);
		expect(fs.existsSync(path.join(backup, 'crx-quickstart/repository/segmentstore/repo.lock'))).toBe(true);
	}, 60_000);
	afterAll(async () => {
		if (runningFakeAem(install)) await stopFakeAem(install).catch(() => undefined);
		fs.rmSync(root, {recursive: true, force: true});
	});

	it('restores neither conf/cq.pid nor repo.lock, and says to stop the old AEM first or change CQ_PORT', async () => {
		const to = path.join(root, 'restored');
		const result = await runCli(['restore', backup, '--to', to]);
		expect(result.stderr).not.toMatch(/crx-backup:/);
		expect(result.code).toBe(0);
		expect(fs.existsSync(path.join(to, 'crx-quickstart/conf/cq.pid'))).toBe(false);
		expect(fs.existsSync(path.join(to, 'crx-quickstart/repository/segmentstore/repo.lock'))).toBe(false);
		expect(fs.existsSync(path.join(to, 'crx-quickstart/conf/fake-aem.json'))).toBe(true);
		expect(result.stdout).toContain(`⚠ The AEM this backup was made from still runs (${quickstart}): stop it first (${quickstart}/bin/stop), then cd ${to} && crx-quickstart/bin/start; or start this one on another port:`);
		expect(result.stdout).toContain(`Next step: cd ${to} && CQ_PORT=${port + 10} crx-quickstart/bin/start`);
	}, 60_000);

	it('--json says the same; with the old AEM stopped the next step is plain bin/start', async () => {
		const json = JSON.parse((await runCli(['restore', backup, '--to', path.join(root, 'json'), '--json'])).stdout);
		expect(json.start).toEqual({port, portInUse: true, sourceRunning: quickstart});
		expect(json.nextStep.command).toBe(`cd ${path.join(root, 'json')} && CQ_PORT=${port + 10} crx-quickstart/bin/start`);
		await stopFakeAem(install);
		const to = path.join(root, 'after-stop');
		const result = await runCli(['restore', backup, '--to', to]);
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain('⚠');
		expect(result.stdout).toContain(`Next step: cd ${to} && crx-quickstart/bin/start\n`);
	}, 60_000);
});
