import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {makeDirectoryBackup, makeZipBackup, markMade} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {treeDigest} from '../support/faults.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * prune deletes, so it gets the delete command's guarantees: a link in the
 * backup folder is never a backup (whatever it points at, even a real, old
 * backup of this very repository), the live repository is never one, and
 * nothing outside the folder changes. Sentinel trees around both.
 */
let root: string;
let backups: string;
let outside: string;
let install: string;
let quickstart: string;
const old = (day: number) => ({startedAt: new Date(2026, 9, day, 2).toISOString()});

beforeAll(() => {
	root = fs.realpathSync(tempDir('crx-prune-links-'));
	({install, quickstart} = makeInstall(path.join(root, 'opt'), {live: false}));
	quickstart = fs.realpathSync(quickstart);
	backups = path.join(root, 'backups');
	outside = path.join(root, 'outside');
	fs.mkdirSync(backups);
	fs.mkdirSync(outside);
	// Real backups of this repository outside the folder prune looks in, older than everything in it.
	makeZipBackup(path.join(outside, 'victim.zip'), quickstart, {manifest: {source: quickstart, ...old(1)}});
	makeDirectoryBackup(path.join(outside, 'victim-dir'), quickstart, {manifest: {source: quickstart, ...old(2)}});
	fs.symlinkSync(path.join(outside, 'victim.zip'), path.join(backups, 'backup-20261001-0200.zip'));
	fs.symlinkSync(path.join(outside, 'victim-dir'), path.join(backups, 'nightly-old'));
	fs.symlinkSync(install, path.join(backups, 'install-link'));
	// The real backups in the folder are crx-backup's own (recorded in its state folder); so are the victims the links lead to.
	markMade(path.join(root, 'state'),
		makeZipBackup(path.join(backups, 'backup-20261010-0200.zip'), quickstart, {manifest: {source: quickstart, ...old(10)}}),
		makeZipBackup(path.join(backups, 'backup-20261011-0200.zip'), quickstart, {manifest: {source: quickstart, ...old(11)}}),
		path.join(outside, 'victim.zip'));
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('prune and symbolic links', () => {
	test('links in the backup folder are never decided, followed or deleted; only the real old backup goes', async () => {
		const sentinels = {outside: treeDigest(outside), opt: treeDigest(path.join(root, 'opt'))};
		const result = await runCli(['prune', '--repo', install, '--dir', backups, '--keep-last', '1', '--json'], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state')}});
		expect(result.code).toBe(0);
		const decided = JSON.parse(result.stdout).decisions.map((decision: {name: string; action: string}) => `${decision.action} ${decision.name}`);
		expect(decided).toEqual(['keep backup-20261011-0200.zip', 'remove backup-20261010-0200.zip']);
		expect(fs.readdirSync(backups).sort()).toEqual(['backup-20261001-0200.zip', 'backup-20261011-0200.zip', 'install-link', 'nightly-old']);
		for (const link of ['backup-20261001-0200.zip', 'nightly-old', 'install-link']) expect(fs.lstatSync(path.join(backups, link)).isSymbolicLink()).toBe(true);
		expect(treeDigest(outside)).toEqual(sentinels.outside);
		expect(treeDigest(path.join(root, 'opt'))).toEqual(sentinels.opt);
	});

	test('prune without a rule is bad usage: one sentence, exit 2, nothing deleted', async () => {
		const before = treeDigest(root, {skipTop: ['state']});
		const result = await runCli(['prune', '--repo', install, '--dir', backups, '--keep-daily', '0'], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state')}});
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('crx-backup: prune needs at least one rule: --keep-last, --keep-hourly, --keep-daily, --keep-weekly or --keep-monthly with a count above 0.\n');
		expect(treeDigest(root, {skipTop: ['state']})).toEqual(before);
	});
});
