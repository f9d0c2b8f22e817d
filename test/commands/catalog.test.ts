import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {corruptEntry, makeDirectoryBackup, makeQuickstart, makeZipBackup, markMade, ownerRecord, snapshot, tempDir} from '../support/catalog-helpers.js';
import {cliCommand, crxBackup} from '../support/catalog-run.js';

const savedState = process.env.CRX_BACKUP_STATE_DIR;
afterEach(() => {
	if (savedState === undefined) delete process.env.CRX_BACKUP_STATE_DIR;
	else process.env.CRX_BACKUP_STATE_DIR = savedState;
});

/** Each test's own state folder (the CLI inherits it), where markMade records the hand-made backups as crx-backup's. */
function setup() {
	const root = tempDir();
	const {install, quickstart} = makeQuickstart(root);
	const state = path.join(tempDir(), 'state');
	fs.mkdirSync(state, {mode: 0o700});
	process.env.CRX_BACKUP_STATE_DIR = state;
	return {root, install, quickstart, state};
}

describe('crx-backup list', () => {
	it('prints an aligned table with status symbols, or the array with --json', async () => {
		const {root, install, quickstart} = setup();
		makeZipBackup(path.join(root, 'nightly.zip'), quickstart, {manifest: {startedAt: '2026-02-01T10:00:00.000Z'}});
		makeDirectoryBackup(path.join(root, 'running'), quickstart, {marker: ownerRecord(true), manifest: {startedAt: '2026-01-01T10:00:00.000Z'}});
		makeDirectoryBackup(path.join(root, 'dead'), quickstart, {marker: ownerRecord(false), manifest: {startedAt: '2025-01-01T10:00:00.000Z'}});
		const text = await crxBackup(['list', '--repo', install]);
		expect(text.code).toBe(0);
		const lines = text.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^NAME\s+KIND\s+SIZE\s+CREATED\s+STATUS$/);
		expect(lines.slice(1).map(line => line.split(/\s+/)[0])).toEqual(['nightly.zip', 'running', 'dead']);
		expect(lines[1]).toContain('✔ complete');
		expect(lines[2]).toContain('… running');
		expect(lines[3]).toContain('✖ incomplete');
		expect(new Set(lines.map(line => line.indexOf('KIND') === -1 ? line.search(/ (zip|directory) /) : line.indexOf('KIND') - 1)).size).toBe(1);

		// In the install folder itself, no --repo is needed.
		const json = await crxBackup(['list', '--json'], {cwd: install});
		expect(json.code).toBe(0);
		const records = JSON.parse(json.stdout) as Array<{name: string; status: string; kind: string}>;
		expect(records.map(record => [record.name, record.kind, record.status])).toEqual([
			['nightly.zip', 'zip', 'complete'], ['running', 'directory', 'running'], ['dead', 'directory', 'incomplete'],
		]);
	});

	it('is a usage error with neither a repository nor --dir', async () => {
		const result = await crxBackup(['list'], {cwd: tempDir()});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^crx-backup: .*--dir/);
	});
});

describe('crx-backup delete', () => {
	it('asks for --yes when stdin is not a terminal, and deletes nothing', async () => {
		const {root, install, quickstart, state} = setup();
		const zip = makeZipBackup(path.join(root, 'nightly.zip'), quickstart);
		markMade(state, zip);
		const result = await crxBackup(['delete', 'nightly.zip', '--repo', install], {input: 'y\n'});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--yes');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(fs.existsSync(zip)).toBe(true);
		const yes = await crxBackup(['delete', 'nightly.zip', '--repo', install, '--yes']);
		expect(yes.code).toBe(0);
		expect(fs.existsSync(zip)).toBe(false);
	});

	it('asks "Delete <path>? (y/N)" on a terminal: n keeps it (exit 130), y deletes it', async () => {
		const {root, install, quickstart, state} = setup();
		const zip = makeZipBackup(path.join(root, 'nightly.zip'), quickstart);
		markMade(state, zip);
		// A real pseudo-terminal (python's pty), answering once the question shows.
		const answer = (reply: string) => JSON.parse(execFileSync('python3', ['-c', ptyScript, JSON.stringify([process.execPath, ...cliCommand(), 'delete', zip, '--repo', install]), reply], {encoding: 'utf8'})) as {code: number; output: string};
		const no = answer('n');
		expect(no.output).toContain(`Delete ${zip}? (y/N)`);
		expect([no.code, fs.existsSync(zip)]).toEqual([130, true]);
		expect([answer('y').code, fs.existsSync(zip)]).toEqual([0, false]);
	});

	it('refuses the live install, the repository, a running backup and a random folder (exit 2, nothing touched)', async () => {
		const {root, install, quickstart} = setup();
		const running = makeDirectoryBackup(path.join(root, 'running'), quickstart, {marker: ownerRecord(true)});
		fs.mkdirSync(path.join(root, 'random'));
		const before = snapshot(root);
		for (const target of [install, quickstart, path.join(quickstart, 'repository'), running, path.join(root, 'random')]) {
			const result = await crxBackup(['delete', target, '--repo', install, '--yes']);
			expect([result.code, target]).toEqual([2, target]);
			expect(result.stderr).toMatch(/^crx-backup: /);
		}
		expect(snapshot(root)).toEqual(before);
	});
});

describe('crx-backup verify', () => {
	it('exits 0 for an intact backup and 1 naming the damaged entry', async () => {
		const {root, quickstart} = setup();
		const zip = makeZipBackup(path.join(root, 'stored.zip'), quickstart, {deflate: false});
		const intact = await crxBackup(['verify', zip, '--json']);
		expect(intact.code).toBe(0);
		expect(JSON.parse(intact.stdout)).toEqual({ok: true, files: 14, bytes: expect.any(Number) as number, problems: []});
		corruptEntry(zip, 'crx-quickstart/repository/segmentstore/data00000a.tar');
		const damaged = await crxBackup(['verify', zip, '--json']);
		expect(damaged.code).toBe(1);
		expect((JSON.parse(damaged.stdout) as {problems: Array<{path: string}>}).problems.map(problem => problem.path))
			.toEqual(['crx-quickstart/repository/segmentstore/data00000a.tar']);
		const text = await crxBackup(['verify', zip]);
		expect(text.code).toBe(1);
		expect(text.stdout).toContain('✖ crx-quickstart/repository/segmentstore/data00000a.tar: damaged');
	});

	it('is a usage error for something that is not a backup', async () => {
		const result = await crxBackup(['verify', tempDir()]);
		expect(result.code).toBe(2);
	});
});

describe('crx-backup restore', () => {
	it('restores a directory backup, prints one line per step when piped and --json on stdout', async () => {
		const {root, quickstart} = setup();
		const backup = makeDirectoryBackup(path.join(root, 'backup'), quickstart);
		const to = path.join(tempDir(), 'restored');
		const result = await crxBackup(['restore', backup, '--to', to, '--json', '--delete-index']);
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toEqual({to, files: 14, bytes: expect.any(Number) as number, madeExecutable: [], deletedIndex: true});
		expect(result.stderr.trim().split('\n').map(line => /^✔ (Verify|Extract|Fix modes)\b/.exec(line)?.[1])).toEqual(['Verify', 'Extract', 'Fix modes']);
		const expected = snapshot(quickstart);
		for (const key of Object.keys(expected)) if (key.startsWith('repository/index')) delete expected[key];
		expect(snapshot(path.join(to, 'crx-quickstart'))).toEqual(expected);
	});

	it('restores a Java zip with --only and lists what it made executable', async () => {
		const {root, quickstart} = setup();
		const zip = makeZipBackup(path.join(root, 'java.zip'), quickstart, {java: true});
		const to = path.join(tempDir(), 'restored');
		const result = await crxBackup(['restore', zip, '--to', to, '--only', 'bin', '--only', 'crx-quickstart/server']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('made executable: crx-quickstart/bin/');
		expect(fs.readdirSync(path.join(to, 'crx-quickstart')).sort()).toEqual(['bin', 'server']);
		expect(fs.statSync(path.join(to, 'crx-quickstart/server/serverctl')).mode & 0o111).toBe(0o111);
	});

	it('fails with exit 1 on a corrupt zip and 2 on a non-empty folder or a running backup without --force', async () => {
		const {root, quickstart} = setup();
		const zip = makeZipBackup(path.join(root, 'stored.zip'), quickstart, {deflate: false});
		corruptEntry(zip, 'crx-quickstart/repository/segmentstore/data00000a.tar');
		const parent = tempDir();
		const corrupt = await crxBackup(['restore', zip, '--to', path.join(parent, 'restored')]);
		expect(corrupt.code).toBe(1);
		expect(corrupt.stderr).toContain('data00000a.tar');
		expect(fs.readdirSync(parent)).toEqual([]);

		fs.writeFileSync(path.join(parent, 'keep.txt'), 'keep');
		const full = await crxBackup(['restore', zip, '--to', parent]);
		expect(full.code).toBe(2);
		expect(fs.readdirSync(parent)).toEqual(['keep.txt']);

		const marked = makeDirectoryBackup(path.join(root, 'marked'), quickstart, {marker: ownerRecord(false)});
		const refused = await crxBackup(['restore', marked, '--to', path.join(parent, 'x')]);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('--force');
		const forced = await crxBackup(['restore', marked, '--to', path.join(parent, 'x'), '--force']);
		expect(forced.code).toBe(0);
		expect(fs.existsSync(path.join(parent, 'x', 'crx-quickstart', 'bin', 'start'))).toBe(true);

		expect((await crxBackup(['restore', zip])).code).toBe(2);
	});
});

const ptyScript = `
import json, os, pty, sys, time
argv, reply = json.loads(sys.argv[1]), sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out, started = b'', time.time()
while b'(y/N)' not in out and time.time() - started < 30:
    out += os.read(fd, 1024)
os.write(fd, (reply + '\\n').encode())
try:
    while True:
        chunk = os.read(fd, 1024)
        if not chunk: break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': out.decode(errors='replace')}))
`;
