import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {startJmxServer} from '../../source/demo/fake-aem/jmx-server.js';
import {aemCredentials, isLoopback} from '../../source/engine/aem/credentials.js';
import {runCli, startCli} from '../support/cli.js';
import {faultDir, stateEnv} from '../support/faults.js';
import {leaks, opCalls, startAemRig, type AemRig} from '../support/aem.js';

/**
 * AEM's password is a secret an operator hands crx-backup through the environment
 * or ~/.netrc: it must never be in argv (the process list: /proc/<pid>/cmdline of
 * the CLI and anything it starts), in a child's environment, on stdout or stderr,
 * in the JSON, the manifest or any file of the backup.
 */
let rig: AemRig;
let rigRoot: string;
beforeAll(async () => {
	rigRoot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crx-aem-pw-')));
	rig = await startAemRig(rigRoot, {password: 'Hunter2-aem-Secret'});
}, 60_000);
afterAll(async () => {
	await rig?.close();
	fs.rmSync(rigRoot, {recursive: true, force: true});
});

/** The process and its descendants, from /proc (pid → ppid). */
function family(root: number): number[] {
	const parents = new Map<number, number>();
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {} // Gone meanwhile.
	}
	const found = [root];
	for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parents) if (ppid === found[i] && !found.includes(pid)) found.push(pid);
	return found;
}

const read = (file: string) => {
	try {
		return fs.readFileSync(file).toString('latin1');
	} catch {
		return '';
	}
};

function allFiles(dir: string): string[] {
	return fs.readdirSync(dir, {withFileTypes: true, recursive: true}).filter(entry => entry.isFile()).map(entry => path.join(entry.parentPath, entry.name));
}

test('from CRX_BACKUP_AEM_PASSWORD: not in any argv or child environment while it runs, nor in the output, the JSON or the backup', async () => {
	const root = faultDir('crx-aem-pw-');
	const target = path.join(root, 'backup');
	const {child, done} = startCli(['backup', '--repo', rig.install, '--target', target, '--aem', rig.url, '--json'], {env: {...stateEnv(root), CRX_BACKUP_AEM_PASSWORD: rig.password, HOME: root}});
	let looks = 0;
	const seen: string[] = [];
	let finished = false;
	void done.then(() => (finished = true));
	while (!finished) {
		for (const pid of family(child.pid!)) {
			seen.push(read(`/proc/${pid}/cmdline`));
			if (pid !== child.pid) seen.push(read(`/proc/${pid}/environ`)); // The CLI's own was given by this test.
		}
		looks++;
		await new Promise(resolve => setTimeout(resolve, 20));
	}
	const result = await done;
	expect(result.code, result.stderr).toBe(0);
	expect(looks).toBeGreaterThan(5);
	expect(seen.some(text => text.includes('--aem'))).toBe(true); // The CLI's argv was read...
	expect(seen.filter(text => leaks(text, rig.password))).toEqual([]); // ...and never held the password.
	expect(leaks(result.stdout, rig.password)).toBe(false);
	expect(leaks(result.stderr, rig.password)).toBe(false);
	expect(opCalls(rig, 'blockRepositoryWrites').length).toBeGreaterThan(0); // It did log in.
	const files = allFiles(target);
	expect(files.some(file => file.endsWith('crx-backup-manifest.jsonl'))).toBe(true);
	expect(files.filter(file => leaks(read(file), rig.password))).toEqual([]);
}, 90_000);

test('from ~/.netrc (machine = the host): the backup logs in, and neither output nor the zip holds the password', async () => {
	const root = faultDir('crx-aem-netrc-');
	fs.writeFileSync(path.join(root, '.netrc'), `# AEM\nmachine example.org login nobody password wrong\n\nmachine 127.0.0.1\n  login admin\n  password "${rig.password}"\n`, {mode: 0o600});
	const target = path.join(root, 'b.zip');
	const result = await runCli(['backup', '--repo', rig.install, '--target', target, '--aem', rig.url, '--json'], {env: {...stateEnv(root), HOME: root, CRX_BACKUP_AEM_PASSWORD: ''}});
	expect(result.code, result.stderr).toBe(0);
	expect(JSON.parse(result.stdout)).toMatchObject({warnings: expect.not.arrayContaining([expect.stringMatching(/\.netrc|plain HTTP/)])});
	expect(leaks(result.stdout + result.stderr, rig.password)).toBe(false);
	expect(leaks(read(target), rig.password)).toBe(false);
}, 90_000);

test('a password in the --aem URL is refused (exit 2) without echoing it; a wrong one is not echoed either', async () => {
	const root = faultDir('crx-aem-url-');
	const withPassword = rig.url.replace('http://', `http://admin:${rig.password}@`);
	const inUrl = await runCli(['backup', '--repo', rig.install, '--target', path.join(root, 'x'), '--aem', withPassword], {env: {...stateEnv(root), HOME: root}});
	expect(inUrl.code).toBe(2);
	expect(inUrl.stderr).toBe('crx-backup: --aem must not hold a user or password (the process list shows it): give --aem-user, and the password in CRX_BACKUP_AEM_PASSWORD or ~/.netrc.\n');
	const wrong = await runCli(['backup', '--repo', rig.install, '--target', path.join(root, 'y'), '--aem', rig.url, '--json'], {env: {...stateEnv(root), HOME: root, CRX_BACKUP_AEM_PASSWORD: 'Wrong-Secret-123'}});
	expect(wrong.code).toBe(2);
	expect(leaks(wrong.stdout + wrong.stderr, 'Wrong-Secret-123')).toBe(false);
	expect(fs.readdirSync(root).filter(name => name !== 'state')).toEqual([]);
}, 60_000);

test('a ~/.netrc other users can read or write is warned about (ftp refuses one), in the summary and on stderr; mode 600 is not', async () => {
	const root = faultDir('crx-aem-netrc-mode-');
	const netrc = path.join(root, '.netrc');
	fs.writeFileSync(netrc, `machine 127.0.0.1 login admin password "${rig.password}"\n`);
	const env = {...stateEnv(root), HOME: root, CRX_BACKUP_AEM_PASSWORD: ''};
	for (const [mode, warned] of [[0o644, true], [0o620, true], [0o600, false]] as const) {
		fs.chmodSync(netrc, mode);
		const result = await runCli(['backup', '--repo', rig.install, '--target', path.join(root, `b${mode}`), '--aem', rig.url, '--json'], {env});
		expect(result.code, result.stderr).toBe(0);
		const warnings = (JSON.parse(result.stdout) as {warnings: string[]}).warnings.filter(w => w.includes('.netrc'));
		const sentence = `${netrc} can be read or written by other users (mode 0${mode.toString(8)}), and it holds AEM's password: run chmod 600 ${netrc} (ftp refuses such a file).`;
		expect(warnings, mode.toString(8)).toEqual(warned ? [sentence] : []);
		if (warned) expect(result.stderr).toContain(`⚠ ${sentence}`);
		expect(leaks(result.stdout + result.stderr, rig.password)).toBe(false);
	}
	// The password from the environment: the .netrc is not what sends it, so it is not warned about.
	fs.chmodSync(netrc, 0o644);
	const fromEnv = await runCli(['backup', '--repo', rig.install, '--target', path.join(root, 'env'), '--aem', rig.url, '--json'], {env: {...env, CRX_BACKUP_AEM_PASSWORD: rig.password}});
	expect((JSON.parse(fromEnv.stdout) as {warnings: string[]}).warnings.filter(w => w.includes('.netrc'))).toEqual([]);
}, 120_000);

const lanAddress = Object.values(os.networkInterfaces()).flat().find(item => item && item.family === 'IPv4' && !item.internal)?.address;

test.skipIf(!lanAddress)('basic auth over plain http:// to a host that is not loopback is warned about; to 127.0.0.1, localhost or ::1 it is not', async () => {
	expect([isLoopback('127.0.0.1'), isLoopback('127.8.9.10'), isLoopback('localhost'), isLoopback('[::1]'), isLoopback('aem.localhost')]).toEqual([true, true, true, true, true]);
	expect([isLoopback('192.0.2.2'), isLoopback('aem.example'), isLoopback('[::ffff:10.0.0.1]'), isLoopback('127.0.0.1.example')]).toEqual([false, false, false, false]);
	process.env.CRX_BACKUP_AEM_PASSWORD = 'pw';
	expect(aemCredentials(new URL('https://aem.example'), undefined).warnings).toEqual([]);
	process.env.CRX_BACKUP_AEM_PASSWORD = 'pw';
	expect(aemCredentials(new URL('http://aem.example:4502'), undefined).warnings).toEqual(["AEM's password goes to http://aem.example:4502 over plain HTTP (basic auth), readable by anyone on the network between: use https://, or a tunnel to localhost."]);

	const root = faultDir('crx-aem-lan-');
	const lan = await startJmxServer({password: rig.password, host: lanAddress, requestLog: path.join(root, 'requests.log')});
	try {
		const result = await runCli(['backup', '--repo', rig.install, '--target', path.join(root, 'b'), '--aem', lan.url, '--json'], {env: {...stateEnv(root), HOME: root, CRX_BACKUP_AEM_PASSWORD: rig.password}});
		expect(result.code, result.stderr).toBe(0);
		expect((JSON.parse(result.stdout) as {warnings: string[]}).warnings).toContain(`AEM's password goes to ${lan.url} over plain HTTP (basic auth), readable by anyone on the network between: use https://, or a tunnel to localhost.`);
		expect(leaks(result.stdout + result.stderr, rig.password)).toBe(false);
	} finally {
		await lan.close();
	}
}, 60_000);
