import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {engine} from '../../source/engine/index.js';
import type {Repository} from '../../source/engine/types.js';
import {makeDirectoryBackup, makeZipBackup, ownerRecord} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {expectedNightly, night, zipName, zipsIn} from '../support/nightly.js';

/**
 * A 40-night simulation: a backup every night at 02:00 (the clock
 * moved through CRX_BACKUP_NOW), each followed by prune --keep-daily 7
 * --keep-weekly 4, in-process for speed (a CLI start costs a second and more on
 * a busy machine); the CLI's own prune and backup --keep-* run after it.
 */
let root: string;
let repository: Repository;
const policy = {daily: 7, weekly: 4};
const saved = {now: process.env.CRX_BACKUP_NOW, state: process.env.CRX_BACKUP_STATE_DIR};
let running: string;
let otherRepositorys: string;
let killedLate: string;

beforeAll(async () => {
	root = fs.realpathSync(tempDir('crx-nightly-'));
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
	makeInstall(root, {live: false});
	repository = await engine.resolveRepository(path.join(root, 'AEM'));
	const source = repository.quickstart;
	// A backup still being written, started on night 3: it must outlive every prune.
	// Markers name the folder they mark, as the engine writes them: that makes them this tool's to decide.
	running = makeDirectoryBackup(path.join(root, 'nightly-running'), source, {manifest: false, marker: {...ownerRecord(true), source, target: path.join(root, 'nightly-running'), startedAt: night(3).toISOString()}});
	// Another repository's backup in the same folder: never this repository's prune to decide.
	otherRepositorys = makeZipBackup(path.join(root, 'other-20261002-0200.zip'), source, {manifest: {source: '/srv/other/crx-quickstart', startedAt: night(2).toISOString()}});
	// The wreck of a killed backup from night 45 (newer than any complete one until then): kept while it is the newest.
	killedLate = makeDirectoryBackup(path.join(root, 'nightly-killed'), source, {manifest: false, marker: {...ownerRecord(false), source, target: path.join(root, 'nightly-killed'), startedAt: night(45).toISOString()}});
	// A backup leaves the index out; one there would say AEM ran in it, and prune would leave it.
	fs.rmSync(path.join(killedLate, 'crx-quickstart', 'repository', 'index'), {recursive: true, force: true});
});
afterAll(() => {
	fs.rmSync(root, {recursive: true, force: true});
	for (const [key, value] of [['CRX_BACKUP_NOW', saved.now], ['CRX_BACKUP_STATE_DIR', saved.state]] as const) {
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}
});

async function backupAt(date: Date) {
	process.env.CRX_BACKUP_NOW = date.toISOString();
	return engine.backup({repository, target: engine.resolveTarget(repository), delayMs: 0});
}

describe('40 nights of backup + prune --keep-daily 7 --keep-weekly 4', () => {
	test('leave exactly the expected set, never the newest complete one, never the running one', async () => {
		const nights: Date[] = [];
		for (let n = 1; n <= 40; n++) {
			const date = night(n);
			const summary = await backupAt(date);
			expect(path.basename(summary.target)).toBe(zipName(date));
			nights.push(date);
			const result = await engine.prune({repository, policy});
			expect(result.failed).toEqual([]);
			expect(fs.existsSync(summary.target)).toBe(true);
			expect(result.decisions.find(decision => decision.path === summary.target)?.action).toBe('keep');
			expect(fs.existsSync(path.join(running, 'crx-quickstart'))).toBe(true);
			expect(fs.existsSync(otherRepositorys)).toBe(true);
		}
		expect(zipsIn(root)).toEqual(new Set([...expectedNightly(nights, 7, 4), path.basename(otherRepositorys)]));
		expect(fs.existsSync(killedLate)).toBe(true); // Newer than every complete backup so far.
	}, 90_000);

	test('prune --dry-run through the CLI says what it keeps and why, and deletes nothing', async () => {
		const before = zipsIn(root);
		const result = await runCli(['prune', '--repo', repository.install, '--keep-daily', '3', '--dry-run'], {env: {CRX_BACKUP_STATE_DIR: process.env.CRX_BACKUP_STATE_DIR}});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`keep +\\S+ \\S+ +${zipName(night(40))} +\\(daily ${night(40).toISOString().slice(0, 4)}-\\d\\d-\\d\\d\\)`));
		expect(result.stdout).toContain(`would delete`);
		expect(result.stdout).toMatch(/nightly-running +\(running\)/);
		expect(result.stdout).toMatch(/Dry run: kept \d+, would delete \d+ \(--keep-daily 3\)\./);
		expect(zipsIn(root)).toEqual(before);
	});

	test('backup --keep-* prunes after a successful backup only', async () => {
		const env = {CRX_BACKUP_STATE_DIR: process.env.CRX_BACKUP_STATE_DIR, CRX_BACKUP_NOW: night(41).toISOString()};
		const before = zipsIn(root);
		// A failed backup (its freeze command fails) prunes nothing, though --keep-last 1 would delete almost all.
		const failed = await runCli(['backup', '--repo', repository.install, '--keep-last', '1', '--freeze-cmd', 'exit 3'], {env});
		expect(failed.code).toBe(1);
		expect(zipsIn(root)).toEqual(before);
		expect(fs.existsSync(killedLate)).toBe(true);

		const nights = Array.from({length: 41}, (_, i) => night(i + 1));
		const ok = await runCli(['backup', '--repo', repository.install, '--keep-daily', '7', '--keep-weekly', '4', '--json'], {env});
		expect(ok.code).toBe(0);
		const summary = JSON.parse(ok.stdout);
		expect(summary.prune.decisions.find((decision: {name: string}) => decision.name === zipName(night(41))).reasons).toContain(`daily ${zipName(night(41)).slice(7, 11)}-${zipName(night(41)).slice(11, 13)}-${zipName(night(41)).slice(13, 15)}`);
		expect(zipsIn(root)).toEqual(new Set([...expectedNightly(nights, 7, 4), path.basename(otherRepositorys)]));
		expect(fs.existsSync(path.join(running, 'crx-quickstart'))).toBe(true);
	});

	test('an incomplete backup older than the newest complete one is removed, a running one never', async () => {
		const env = {CRX_BACKUP_STATE_DIR: process.env.CRX_BACKUP_STATE_DIR, CRX_BACKUP_NOW: night(46).toISOString()};
		const ok = await runCli(['backup', '--repo', repository.install, '--keep-daily', '7', '--json'], {env});
		expect(ok.code).toBe(0);
		const decisions = JSON.parse(ok.stdout).prune.decisions as Array<{path: string; action: string; reasons: string[]}>;
		expect(decisions.find(decision => decision.path === killedLate)).toMatchObject({action: 'remove', reasons: ['incomplete, older than the newest complete backup']});
		expect(fs.existsSync(killedLate)).toBe(false);
		expect(decisions.find(decision => decision.path === running)).toMatchObject({action: 'keep', reasons: ['running']});
		expect(fs.existsSync(path.join(running, 'crx-quickstart'))).toBe(true);
	});
});
