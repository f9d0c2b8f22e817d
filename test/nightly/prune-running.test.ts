import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {lockPath} from '../../source/engine/backup/lock.js';
import {makeZipBackup, markMade, ownerRecord} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/** A backup the repository's lock says is being written is never pruned, though it looks complete and no rule keeps it. */
let root: string;
let install: string;
let quickstart: string;
const state = () => path.join(root, 'state');

beforeAll(() => {
	root = fs.realpathSync(tempDir('crx-prune-running-'));
	({install, quickstart} = makeInstall(root, {live: false}));
	quickstart = fs.realpathSync(quickstart);
	fs.mkdirSync(state(), {mode: 0o700});
	// Recorded in the state folder as crx-backup's own, as the backups it makes are.
	for (const day of [1, 2, 3]) markMade(state(), makeZipBackup(path.join(root, `backup-2026100${day}-0200.zip`), quickstart, {manifest: {source: quickstart, startedAt: new Date(2026, 9, day, 2).toISOString()}}));
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('prune and a running backup', () => {
	test('the target of the held lock is kept as running; the lock released, it goes', async () => {
		const saved = process.env.CRX_BACKUP_STATE_DIR;
		process.env.CRX_BACKUP_STATE_DIR = state();
		const lock = lockPath(quickstart);
		if (saved === undefined) delete process.env.CRX_BACKUP_STATE_DIR;
		else process.env.CRX_BACKUP_STATE_DIR = saved;
		const busy = path.join(root, 'backup-20261001-0200.zip');
		fs.writeFileSync(lock, JSON.stringify({...ownerRecord(true), source: quickstart, target: busy}), {mode: 0o600});

		const held = await runCli(['prune', '--repo', install, '--keep-last', '1', '--json'], {env: {CRX_BACKUP_STATE_DIR: state()}});
		expect(held.code).toBe(0);
		const decisions = JSON.parse(held.stdout).decisions.map((decision: {name: string; action: string; reasons: string[]}) => `${decision.action} ${decision.name} ${decision.reasons.join(', ')}`);
		expect(decisions).toEqual(['keep backup-20261003-0200.zip last 1', 'remove backup-20261002-0200.zip no rule keeps it', 'keep backup-20261001-0200.zip running']);
		expect(fs.existsSync(busy)).toBe(true);
		expect(fs.existsSync(path.join(root, 'backup-20261002-0200.zip'))).toBe(false);

		fs.rmSync(lock);
		const released = await runCli(['prune', '--repo', install, '--keep-last', '1'], {env: {CRX_BACKUP_STATE_DIR: state()}});
		expect(released.code).toBe(0);
		expect(released.stdout).toMatch(/^deleted .* backup-20261001-0200\.zip +\(no rule keeps it\)$/m);
		expect(fs.existsSync(busy)).toBe(false);
	});
});
