import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeQuickstart, makeZipBackup, ownerRecord, tempDir} from '../support/catalog-helpers.js';
import {ATTACKER, ensureAttacker, isRoot, runCliAs} from '../support/catalog-safety.js';

describe.skipIf(!isRoot())('list as a user who may not read everything in the folders it lists', () => {
	it('skips a folder or zip it may not read with one warning line each, and lists the rest (exit 0)', async () => {
		ensureAttacker();
		const source = tempDir();
		const {quickstart} = makeQuickstart(source);
		const backups = tempDir();
		fs.chmodSync(backups, 0o755);
		makeZipBackup(path.join(backups, 'readable.zip'), quickstart, {manifest: {startedAt: '2026-01-02T10:00:00.000Z'}});
		fs.chmodSync(path.join(backups, 'readable.zip'), 0o644);
		// root's unfinished directory backup: its top may be read, its crx-quickstart (0700, as backups are) not.
		const rootBackup = path.join(backups, 'root-backup');
		fs.mkdirSync(path.join(rootBackup, 'crx-quickstart', 'repository'), {recursive: true, mode: 0o700});
		fs.chmodSync(rootBackup, 0o755);
		fs.writeFileSync(path.join(rootBackup, 'backupInProgress.txt'), JSON.stringify(ownerRecord(false)), {mode: 0o644});
		// A zip only root may read, and a folder only root may enter: neither is known to be a backup.
		makeZipBackup(path.join(backups, 'private.zip'), quickstart);
		fs.chmodSync(path.join(backups, 'private.zip'), 0o600);
		fs.mkdirSync(path.join(backups, 'secret'), {mode: 0o700});
		fs.writeFileSync(path.join(backups, 'secret', 'x'), 'x');

		const json = await runCliAs(ATTACKER, ['list', '--dir', backups, '--json']);
		expect(json.code, json.stderr).toBe(0);
		expect((JSON.parse(json.stdout) as Array<{name: string}>).map(record => record.name)).toEqual(['readable.zip']);
		expect(json.stderr.trim().split('\n').sort()).toEqual([
			`⚠ Skipped ${path.join(backups, 'private.zip')}: it cannot be read (EACCES).`,
			`⚠ Skipped ${rootBackup}: it cannot be read (EACCES).`,
		]);

		const text = await runCliAs(ATTACKER, ['list', '--dir', backups]);
		expect(text.code, text.stderr).toBe(0);
		expect(text.stdout).toMatch(/^readable\.zip .*✔ complete$/m);
		expect(text.stdout).not.toMatch(/root-backup|private|secret/);
	});

	it('a --dir it may not read at all is one sentence and exit 2', async () => {
		ensureAttacker();
		const closed = tempDir();
		fs.chmodSync(closed, 0o700);
		const result = await runCliAs(ATTACKER, ['list', '--dir', closed]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^crx-backup: Cannot read the folder .* \(EACCES\)/);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	});
});
