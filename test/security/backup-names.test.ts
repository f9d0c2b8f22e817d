import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const zips = (dir: string) => fs.readdirSync(dir).filter(name => name.endsWith('.zip')).sort();

test('default-named backups in the same minute never replace each other', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	// The clock (CRX_BACKUP_NOW) and the zone are fixed: the same minute whatever the machine's time.
	const env = {...stateEnv(root), CRX_BACKUP_NOW: '2026-10-01T02:00:30.000Z', TZ: 'UTC'};
	const first = await runCli(['backup', '--repo', install], {env});
	expect(first.code, first.stderr).toBe(0);
	expect(zips(root)).toEqual(['backup-20261001-0200.zip']);
	const firstZip = path.join(root, 'backup-20261001-0200.zip');
	const before = {digest: digest(firstZip), ino: fs.statSync(firstZip).ino};

	const checks = await runCli(['estimate', '--repo', install, '--json'], {env});
	expect(checks.code, checks.stderr).toBe(0);
	expect((JSON.parse(checks.stdout) as {target: string; errors: string[]}).errors).toEqual([]);

	const second = await runCli(['backup', '--repo', install], {env});
	expect(second.code, second.stderr).toBe(0);
	const third = await runCli(['backup', '--repo', install], {env});
	expect(third.code, third.stderr).toBe(0);
	const names = zips(root);
	expect(names).toHaveLength(3);
	expect(names[0]).toBe('backup-20261001-0200.zip');
	for (const name of names.slice(1)) expect(name).toMatch(/^backup-20261001-0200\d\d(-\d+)?\.zip$/);
	expect(digest(firstZip)).toBe(before.digest);
	expect(fs.statSync(firstZip).ino).toBe(before.ino);
});

test('an explicit zip target that exists is refused without --force (exit 2, untouched) and replaced with it', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const target = path.join(root, 'nightly.zip');
	const made = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
	expect(made.code, made.stderr).toBe(0);
	const before = digest(target);

	const estimate = await runCli(['estimate', '--repo', install, '--target', target], {env: stateEnv(root)});
	expect(estimate.stdout).toContain(`✖ ${target} exists: crx-backup replaces a zip only when asked; pass --force to replace it, or choose another name.`);

	const refused = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
	expect(refused.code).toBe(2);
	expect(refused.stderr.trim()).toBe(`crx-backup: ${target} exists: crx-backup replaces a zip only when asked; pass --force to replace it, or choose another name.`);
	expect(digest(target)).toBe(before);
	expect(fs.readdirSync(root).filter(name => /\.(temp|partial)$/.test(name))).toEqual([]);

	const forced = await runCli(['backup', '--repo', install, '--target', target, '--force'], {env: stateEnv(root)});
	expect(forced.code, forced.stderr).toBe(0);
	expect(fs.existsSync(target)).toBe(true);
});
