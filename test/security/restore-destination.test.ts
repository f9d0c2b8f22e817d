import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {engine} from '../../source/engine/index.js';
import {checkDestination} from '../../source/ui/destination.js';
import {runCli} from '../support/cli.js';
import os from 'node:os';
import {stateEnv} from '../support/faults.js';

const listDir = (dir: string) => fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort();

// The restore destination has one rule (restore-destination.ts): the CLI and the
// TUI's wizard refuse the same destinations with the same sentence, and a
// destination on a kernel pseudo file system is refused at once (Node's
// recursive mkdir looped forever under /proc, deaf to signals).
let root: string;
let backup: string;

beforeAll(async () => {
	root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'crx-restore-destination-')));
	await generateRepository(path.join(root, 'aem'), {sizeBytes: 2 * 1024 * 1024, seed: 41});
	backup = path.join(root, 'b.zip');
	const made = await runCli(['backup', '--repo', path.join(root, 'aem'), '--target', backup], {env: stateEnv(root)});
	expect(made.code, made.stderr).toBe(0);
	fs.writeFileSync(path.join(root, 'a-file'), 'x');
	fs.symlinkSync(path.join(root, 'aem', 'crx-quickstart'), path.join(root, 'to-live'));
	fs.symlinkSync(path.join(root, 'aem', 'crx-quickstart', 'install', 'not-yet'), path.join(root, 'to-nothing'));
});

afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

const cases: Array<[string, () => string, RegExp]> = [
	['under /proc', () => '/proc/crx-restore-test/new', /kernel pseudo file system/],
	['under /sys', () => '/sys/crx-restore-test', /kernel pseudo file system/],
	['below the zip backup itself', () => path.join(backup, 'into'), /lies inside/],
	['below a file', () => path.join(root, 'a-file', 'new'), /is a file|not a folder/],
	['a file', () => path.join(root, 'a-file'), /exists and is not a folder/],
	['a name over 255 bytes', () => path.join(root, 'n'.repeat(300)), /too long/],
	// The live repository: the restored copy would be part of the running AEM and of its next backup.
	['inside the live crx-quickstart', () => path.join(root, 'aem', 'crx-quickstart', 'restored'), /lies inside .*aem\/crx-quickstart: a restore there writes into the running AEM/],
	['inside the install, beside its crx-quickstart', () => path.join(root, 'aem', 'restored', 'deeper'), /lies inside the AEM install .*aem: a restore there writes into the running AEM/],
	['reached through a link to the live crx-quickstart', () => path.join(root, 'to-live', 'restored'), /lies inside .*aem\/crx-quickstart: a restore there writes into the running AEM/],
	['the install itself', () => path.join(root, 'aem'), /aem is an AEM install \(it holds crx-quickstart\), not an empty folder/],
	// mkdir cannot go through a link to nothing, and its realpath cannot say where it leads.
	['below a link to nothing (into crx-quickstart/install)', () => path.join(root, 'to-nothing', 'restored'), /to-nothing is a link to nothing, so it cannot hold the destination/],
];

test.each(cases)('a destination %s: exit 2 at once with one sentence, the wizard says the same, nothing written', async (_name, destination, pattern) => {
	const to = destination();
	const before = listDir(root);
	// "At once": a refusal that hung (on /proc, a FIFO) would run into the test's own timeout.
	const result = await runCli(['restore', backup, '--to', to], {env: stateEnv(root)});
	expect(result.code, result.stderr).toBe(2);
	const lines = result.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^crx-backup: /);
	expect(lines[0]).toMatch(pattern);
	expect(listDir(root)).toEqual(before);
	const wizard = await checkDestination(engine, to, backup);
	expect(wizard.ok).toBe(false);
	expect(`crx-backup: ${wizard.ok ? '' : wizard.reason}`).toBe(lines[0]);
});

test('a destination inside a directory backup: the CLI and the wizard refuse it with the same sentence', async () => {
	const directory = path.join(root, 'dir-backup');
	const made = await runCli(['backup', '--repo', path.join(root, 'aem'), '--target', directory], {env: stateEnv(root)});
	expect(made.code, made.stderr).toBe(0);
	const to = path.join(directory, 'restored');
	const result = await runCli(['restore', directory, '--to', to], {env: stateEnv(root)});
	expect(result.code).toBe(2);
	expect(result.stderr).toMatch(/one lies inside the other/);
	const wizard = await checkDestination(engine, to, directory);
	expect(`crx-backup: ${wizard.ok ? '' : wizard.reason}\n`).toBe(result.stderr);
	expect(fs.existsSync(to)).toBe(false);
});

test('missing parents of a new destination are made one level at a time, and removed again when the restore is refused later', async () => {
	const to = path.join(root, 'deep', 'er', 'restored');
	const result = await runCli(['restore', backup, '--to', to], {env: stateEnv(root)});
	expect(result.code, result.stderr).toBe(0);
	expect(fs.readdirSync(to)).toContain('crx-quickstart');
});
