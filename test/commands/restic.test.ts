import {execFileSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../support/trees.js';
import {settle} from '../support/link-dest.js';

/** Against a real local restic repository (restic init with a password file in a temp folder). */
let root: string;
let install: string;
let quickstart: string;
let repo: string;
const password = `pw-${crypto.randomBytes(6).toString('hex')}`;
const argvLog = () => path.join(root, 'restic-argv.log');
/**
 * restic asks this command for the password; it also records restic's own command line (its parent's),
 * so the test sees every restic argv crx-backup ran.
 */
const env = () => ({
	CRX_BACKUP_STATE_DIR: path.join(root, 'state'), XDG_CACHE_HOME: path.join(root, 'cache'),
	RESTIC_PASSWORD_FILE: '', RESTIC_PASSWORD: '',
	RESTIC_PASSWORD_COMMAND: `sh -c 'tr "\\0" " " < /proc/$PPID/cmdline >> ${argvLog()}; echo >> ${argvLog()}; cat ${path.join(root, 'password')}'`,
});
const night = (name: string) => path.join(root, 'backups', name);
const skip = ['repository/index', 'repository/cache'];
const pushes: Array<{dataAdded: number; snapshotId: string}> = [];

beforeAll(async () => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
	// A datastore of 200 records (12 MB, so restic's fixed cost per snapshot, some 200 KB of trees and index, stays
	// small beside it): the second night adds 1 % to it.
	for (let i = 0; i < 200; i++) {
		const content = crypto.randomBytes(60_000);
		const digest = crypto.createHash('sha1').update(content).digest('hex');
		const file = path.join(quickstart, 'repository/datastore', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest);
		fs.mkdirSync(path.dirname(file), {recursive: true});
		fs.writeFileSync(file, content);
	}
	fs.mkdirSync(path.join(root, 'backups'));
	fs.writeFileSync(path.join(root, 'password'), `${password}\n`, {mode: 0o600});
	repo = path.join(root, 'restic-repo');
	execFileSync('restic', ['init', '--repo', repo, '--password-file', path.join(root, 'password')], {stdio: 'ignore', env: {...process.env, XDG_CACHE_HOME: path.join(root, 'cache')}});
	await settle();
}, 30_000);
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('restic', () => {
	test('backup --push stores the finished backup as a tagged snapshot, with restic\'s figures', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', night('night1'), '--push', repo, '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		const {push} = JSON.parse(result.stdout);
		expect(push).toMatchObject({backup: night('night1'), snapshotId: expect.stringMatching(/^[0-9a-f]{8,}$/), tags: expect.arrayContaining(['crx-backup', `crx-repo=${fs.realpathSync(quickstart)}`, 'crx-name=night1'])});
		expect(push.dataAdded).toBeGreaterThan(12_000_000);
		expect(result.stderr).toMatch(/✔ Push to restic: \d+ files/);
		pushes.push(push);
	}, 30_000);

	test('the second night with 1 % changed adds at most 5 % of the first push (restic\'s own data_added)', async () => {
		for (let i = 0; i < 2; i++) {
			const content = crypto.randomBytes(60_000);
			const digest = crypto.createHash('sha1').update(content).digest('hex');
			const record = path.join(quickstart, 'repository/datastore', digest.slice(0, 2), digest.slice(2, 4), digest.slice(4, 6), digest);
			fs.mkdirSync(path.dirname(record), {recursive: true});
			fs.writeFileSync(record, content);
		}
		expect((await runCli(['backup', '--repo', install, '--target', night('night2'), '--incremental'], {env: env()})).code).toBe(0);
		const result = await runCli(['push', night('night2'), '--restic-repo', repo, '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		const push = JSON.parse(result.stdout);
		pushes.push(push);
		console.log(`restic data_added: first push ${pushes[0]!.dataAdded} B, second ${push.dataAdded} B (${(100 * push.dataAdded / pushes[0]!.dataAdded).toFixed(2)} %)`);
		expect(push.dataAdded).toBeLessThanOrEqual(0.05 * pushes[0]!.dataAdded);
		expect(push.filesNew).toBeLessThanOrEqual(4);
	}, 30_000);

	test('list --restic-repo shows the snapshots beside the local backups', async () => {
		const result = await runCli(['list', '--dir', path.join(root, 'backups'), '--restic-repo', repo, '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		const {backups, resticSnapshots} = JSON.parse(result.stdout);
		expect(backups.map((record: {name: string}) => record.name).sort()).toEqual(['night1', 'night2']);
		expect(resticSnapshots.map((snapshot: {backup: string}) => snapshot.backup)).toEqual(['night2', 'night1']);
		const table = await runCli(['list', '--dir', path.join(root, 'backups'), '--restic-repo', repo], {env: env()});
		expect(table.stdout).toContain(`restic:${repo}#SNAPSHOT`);
		expect(table.stdout).toMatch(new RegExp(`${pushes[1]!.snapshotId.slice(0, 8)}\\s.*night2`));
	}, 30_000);

	test('restore restic:REPO#SNAPSHOT equals the backup byte for byte, exec bits right, through restore\'s checks', async () => {
		const to = path.join(root, 'restored');
		const result = await runCli(['restore', `restic:${repo}#${pushes[1]!.snapshotId}`, '--to', to, '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toMatch(/✔ Fetch from restic[\s\S]*✔ Verify/);
		const restored = describeTree(path.join(to, 'crx-quickstart'));
		const source = describeTree(quickstart, {skip: [...skip, 'repository/segmentstore/repo.lock']}); // Never restored (restore/rules.ts).
		expect(contentOf(restored)).toEqual(contentOf(source));
		for (const rel of ['bin/start', 'server/serverctl', 'conf/sling.properties', 'install/keys.config']) expect(restored.get(rel)!.mode, rel).toBe(source.get(rel)!.mode);
		expect(fs.readdirSync(root).filter(name => name.includes('.restic-'))).toEqual([]); // The fetched copy is gone.
	}, 30_000);

	test('a damaged snapshot reference or no password variable: one sentence, exit 2, nothing written', async () => {
		const to = path.join(root, 'never');
		for (const [args, sentence, extra] of [
			[['restore', `restic:${repo}#nope`, '--to', to], /names no snapshot/, {}],
			[['push', night('night1'), '--restic-repo', repo], /Set RESTIC_PASSWORD_FILE/, {RESTIC_PASSWORD_COMMAND: ''}],
		] as Array<[string[], RegExp, Record<string, string>]>) {
			const result = await runCli(args, {env: {...env(), ...extra}});
			expect(result.code).toBe(2);
			expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(sentence)]);
			expect(fs.existsSync(to)).toBe(false);
		}
	}, 30_000);

	test('prune --restic-repo applies the keep policy to this repository\'s snapshots only', async () => {
		const resticEnv = {...process.env, RESTIC_REPOSITORY: repo, RESTIC_PASSWORD_FILE: path.join(root, 'password'), XDG_CACHE_HOME: path.join(root, 'cache')};
		// Another repository's backup in the same restic repository: never touched.
		execFileSync('restic', ['backup', '--tag', 'crx-backup,crx-repo=/elsewhere/crx-quickstart,crx-name=other', 'password'], {cwd: root, env: resticEnv, stdio: 'ignore'});
		const dry = await runCli(['prune', '--repo', install, '--keep-last', '1', '--restic-repo', repo, '--dry-run'], {env: env()});
		expect(dry.code, dry.stderr).toBe(0);
		expect(dry.stdout).toMatch(/restic .*: kept 1, would forget 1 snapshot\./);
		const result = await runCli(['prune', '--repo', install, '--keep-last', '1', '--restic-repo', repo, '--json'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout).restic).toMatchObject({kept: 1, removed: 1});
		const left = JSON.parse(execFileSync('restic', ['snapshots', '--json'], {env: resticEnv, encoding: 'utf8'})) as Array<{id: string; tags: string[]}>;
		expect(left.map(snapshot => snapshot.tags.find(tag => tag.startsWith('crx-name='))).sort()).toEqual(['crx-name=night2', 'crx-name=other']);
		expect(left.some(snapshot => snapshot.id === pushes[1]!.snapshotId || snapshot.id.startsWith(pushes[1]!.snapshotId))).toBe(true);
	}, 30_000);

	test('the password never reaches a command line: restic gets it from its own variables', () => {
		const argv = fs.readFileSync(argvLog(), 'utf8').trim().split('\n');
		expect(argv.length).toBeGreaterThanOrEqual(4);
		for (const line of argv) {
			expect(line).toMatch(/^restic /);
			expect(line).not.toContain(password);
			expect(line).not.toMatch(/--password|(^| )-p /);
		}
	});
});
