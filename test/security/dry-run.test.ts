import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {snapshot} from '../support/catalog-helpers.js';
import {runCli, type CliResult} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * --dry-run must never delete: `delete BACKUP --yes --dry-run` deleted the
 * backup, and `backup --keep-last 1 --dry-run` made a backup and pruned the two
 * before it, because every command took every flag and only prune read this one.
 * Real zips, made by the CLI itself, on disk before and after.
 */

let root: string;
let install: string;
let backups: string;
let state: string;
const env = () => ({CRX_BACKUP_STATE_DIR: state});

beforeAll(async () => {
	root = tempDir('crx-dry-run-');
	({install} = makeInstall(root));
	backups = path.join(root, 'backups');
	state = path.join(root, 'state');
	fs.mkdirSync(backups);
	for (const name of ['n1.zip', 'n2.zip']) {
		const made = await runCli(['backup', '--repo', install, '--target', path.join(backups, name)], {env: env()});
		expect(made.code, made.stderr).toBe(0);
	}
}, 120_000);
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

const zips = () => fs.readdirSync(backups).filter(name => name.endsWith('.zip')).sort();

function oneLine(result: CliResult): string {
	const lines = result.stderr.split('\n').filter(line => line !== '');
	expect(lines, result.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^crx-backup: /);
	return lines[0]!;
}

describe('--dry-run deletes nothing', () => {
	it('delete BACKUP --yes --dry-run says what it would delete, exit 0, and the zip is still there, byte for byte', async () => {
		const before = snapshot(backups);
		const result = await runCli(['delete', path.join(backups, 'n1.zip'), '--repo', install, '--yes', '--dry-run'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toBe(`Would delete ${path.join(backups, 'n1.zip')} (--dry-run: nothing deleted).\n`);
		expect(snapshot(backups)).toEqual(before);
	});

	it('delete --dry-run still refuses what delete refuses (the live install), exit 2', async () => {
		const before = snapshot(root);
		const result = await runCli(['delete', install, '--repo', install, '--dry-run'], {env: env()});
		expect(result.code).toBe(2);
		oneLine(result);
		expect(snapshot(root)).toEqual(before);
	});

	it('backup --keep-last 1 --dry-run is refused before anything runs: no backup, no prune, and the sentence points at estimate and prune --dry-run', async () => {
		const before = snapshot(root);
		const result = await runCli(['backup', '--repo', install, '--target', path.join(backups, 'n3.zip'), '--keep-last', '1', '--dry-run'], {env: env()});
		expect(result.code).toBe(2);
		const line = oneLine(result);
		expect(line).toMatch(/backup does not take --dry-run/);
		expect(line).toContain('crx-backup estimate');
		expect(line).toContain('crx-backup prune --dry-run');
		expect(result.stdout).toBe('');
		expect(zips()).toEqual(['n1.zip', 'n2.zip']);
		expect(snapshot(root)).toEqual(before);
	});

	it('prune --keep-last 1 --dry-run names what it would delete and deletes none of it', async () => {
		const before = snapshot(backups);
		const result = await runCli(['prune', '--repo', install, '--dir', backups, '--keep-last', '1', '--dry-run'], {env: env()});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/would delete .*n1\.zip/);
		expect(snapshot(backups)).toEqual(before);
	});
});
