import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {resticRestServer} from '../support/restic-rest.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * A restic repository URL may hold a password (rest:http://user:password@host/).
 * crx-backup shows it as restic does, `user:***@`, in every line and JSON field,
 * and takes it from RESTIC_REPOSITORY / RESTIC_REPOSITORY_FILE, so that it need
 * not be on a command line, which `ps` shows every local user. A real restic,
 * against a REST server that checks the password.
 */
let root: string;
let install: string;
let server: Awaited<ReturnType<typeof resticRestServer>>;
const secret = 'hunter2-not-for-ps';
const env = (extra: NodeJS.ProcessEnv = {}) => ({
	CRX_BACKUP_STATE_DIR: path.join(root, 'state'), XDG_CACHE_HOME: path.join(root, 'cache'),
	RESTIC_PASSWORD_FILE: path.join(root, 'password'), RESTIC_PASSWORD_COMMAND: '', RESTIC_PASSWORD: '', RESTIC_REPOSITORY: '', RESTIC_REPOSITORY_FILE: '', ...extra,
});

beforeAll(async () => {
	root = tempDir();
	({install} = makeInstall(root, {live: false}));
	fs.writeFileSync(path.join(root, 'password'), 'repository-key\n', {mode: 0o600});
	server = await resticRestServer(path.join(root, 'rest'), 'alice', secret);
	const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 'night')], {env: env()});
	expect(result.code, result.stderr).toBe(0);
	// Asynchronously: the server runs in this process and must answer restic meanwhile.
	await resticAsync(['init'], env({RESTIC_REPOSITORY: server.url()}));
}, 60_000);
afterAll(async () => {
	await server?.close();
	fs.rmSync(root, {recursive: true, force: true});
});

function resticAsync(args: string[], environment: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		execFile('restic', args, {env: {...process.env, ...environment}}, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)));
	});
}

const masked = () => server.url('***');

test('push takes the repository from RESTIC_REPOSITORY or RESTIC_REPOSITORY_FILE, and --json shows it as user:***@', async () => {
	const pushed = await runCli(['push', path.join(root, 'night'), '--json'], {env: env({RESTIC_REPOSITORY: server.url()})});
	expect(pushed.code, pushed.stderr).toBe(0);
	expect(JSON.parse(pushed.stdout).resticRepo).toBe(masked());
	expect(pushed.stdout + pushed.stderr).not.toContain(secret);
	const file = path.join(root, 'repository');
	fs.writeFileSync(file, `${server.url()}\n`, {mode: 0o600});
	const again = await runCli(['push', path.join(root, 'night')], {env: env({RESTIC_REPOSITORY_FILE: file})});
	expect(again.code, again.stderr).toBe(0);
	expect(again.stdout).toContain(`to ${masked()} as snapshot`);
	expect(again.stdout + again.stderr).not.toContain(secret);
}, 60_000);

test('list --restic-repo URL prints the repository as user:***@, never its password', async () => {
	const listed = await runCli(['list', '--repo', install, '--dir', root, '--restic-repo', server.url()], {env: env()});
	expect(listed.code, listed.stderr).toBe(0);
	expect(listed.stdout).toContain(masked());
	expect(listed.stdout + listed.stderr).not.toContain(secret);
	// A wrong password: restic's failure is one sentence, which names no password either.
	const refused = await runCli(['list', '--repo', install, '--dir', root, '--restic-repo', server.url('wrong-secret')], {env: env()});
	expect(refused.code).not.toBe(0);
	expect(refused.stdout + refused.stderr).not.toContain('wrong-secret');
}, 60_000);

test('the password of a URL on the command line is masked in errors too, and push without any repository is one sentence', async () => {
	const bad = await runCli(['restore', `restic:${server.url()}#nope`, '--to', path.join(root, 'restored')], {env: env()});
	expect(bad.code).toBe(2);
	expect(bad.stderr).not.toContain(secret);
	expect(bad.stderr).toContain(masked());
	const none = await runCli(['push', path.join(root, 'night')], {env: env()});
	expect(none.code).toBe(2);
	expect(none.stderr.trim()).toBe('crx-backup: push needs a restic repository to store the backup in: --restic-repo REPO, or RESTIC_REPOSITORY or RESTIC_REPOSITORY_FILE in the environment.');
}, 30_000);

test("prune --restic-repo URL names the repository as user:***@ in its report, text and --json alike", async () => {
	const pushed = await runCli(['push', path.join(root, 'night')], {env: env({RESTIC_REPOSITORY: server.url()})});
	expect(pushed.code, pushed.stderr).toBe(0);
	for (const json of [false, true]) {
		const pruned = await runCli(['prune', '--repo', install, '--dir', root, '--keep-last', '5', '--dry-run', '--restic-repo', server.url(), ...(json ? ['--json'] : [])], {env: env()});
		expect(pruned.code, pruned.stderr).toBe(0);
		expect(pruned.stdout + pruned.stderr).not.toContain(secret);
		if (!json) expect(pruned.stdout).toContain(`restic ${masked()}: kept`);
	}
});
