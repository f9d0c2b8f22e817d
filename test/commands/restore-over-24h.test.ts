/**
 * AEM's page says a backup that ran longer than 24 hours is to be discarded (it may
 * miss binaries): restore refuses one (exit 2, nothing written) unless --force, as
 * list, prune and status already count it incomplete.
 */
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli} from '../support/cli.js';
import {stateEnv} from '../support/faults.js';
import {tempDir} from '../support/trees.js';

test('a backup whose manifest says it ran over 24 hours is restored only with --force', async () => {
	const root = fs.realpathSync(tempDir('crx-restore-24h-'));
	const {quickstart} = await generateRepository(path.join(root, 'AEM'), {sizeBytes: 128 * 1024, seed: 24});
	const backup = path.join(root, 'long');
	const env = stateEnv(root);
	expect((await runCli(['backup', '--repo', quickstart, '--target', backup], {env})).code).toBe(0);
	const manifest = path.join(backup, 'crx-backup-manifest.jsonl');
	const [header, ...entries] = fs.readFileSync(manifest, 'utf8').split('\n');
	expect(JSON.parse(header!).over24h).toBe(false);
	fs.writeFileSync(manifest, [JSON.stringify({...JSON.parse(header!), over24h: true}), ...entries].join('\n'));

	const to = path.join(root, 'restored');
	const refused = await runCli(['restore', backup, '--to', to], {env});
	expect(refused.code, refused.stderr).toBe(2);
	expect(refused.stderr.trim().split('\n')).toEqual([`crx-backup: ${backup} ran longer than 24 hours, and AEM's rule is to discard such a backup (it may miss binaries): pass --force to restore it anyway.`]);
	expect(fs.existsSync(to)).toBe(false);

	const forced = await runCli(['restore', backup, '--to', to, '--force'], {env});
	expect(forced.code, forced.stderr).toBe(0);
	expect(fs.existsSync(path.join(to, 'crx-quickstart', 'repository'))).toBe(true);
});

test('a manifest whose start and finish lie over 24 hours apart is over 24 hours, whatever its over24h flag says', async () => {
	const root = fs.realpathSync(tempDir('crx-restore-24h-span-'));
	const {quickstart} = await generateRepository(path.join(root, 'AEM'), {sizeBytes: 64 * 1024, seed: 25});
	const backup = path.join(root, 'long');
	const env = stateEnv(root);
	expect((await runCli(['backup', '--repo', quickstart, '--target', backup], {env})).code).toBe(0);
	const manifest = path.join(backup, 'crx-backup-manifest.jsonl');
	const [header, ...entries] = fs.readFileSync(manifest, 'utf8').split('\n');
	const fields = JSON.parse(header!) as {finishedAt: string; over24h: boolean};
	const startedAt = new Date(Date.parse(fields.finishedAt) - 30 * 60 * 60 * 1000).toISOString();
	fs.writeFileSync(manifest, [JSON.stringify({...fields, startedAt, over24h: false}), ...entries].join('\n'));

	const to = path.join(root, 'restored');
	const refused = await runCli(['restore', backup, '--to', to], {env});
	expect(refused.code, refused.stderr).toBe(2);
	expect(refused.stderr).toMatch(/ran longer than 24 hours/);
	expect(fs.existsSync(to)).toBe(false);
});
