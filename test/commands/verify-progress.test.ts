import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeDirectoryBackup, makeQuickstart, makeZipBackup, tempDir} from '../support/catalog-helpers.js';
import {crxBackup} from '../support/catalog-run.js';

/** Verify reports like backup and restore: piped (not a terminal), one line when its step ends, on stderr; stdout and the exit code unchanged. */
describe('crx-backup verify progress', () => {
	it('prints one step line on stderr when piped, for a zip and a directory backup', async () => {
		const root = tempDir();
		const {quickstart} = makeQuickstart(root);
		for (const backup of [makeZipBackup(path.join(root, 'b.zip'), quickstart), makeDirectoryBackup(path.join(root, 'dir'), quickstart)]) {
			const result = await crxBackup(['verify', backup, '--json']);
			expect(result.code).toBe(0);
			expect(JSON.parse(result.stdout)).toMatchObject({ok: true, files: 14, problems: []});
			const lines = result.stderr.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(/^✔ Verify: 14 files, [\d.]+ (KiB|MiB) in /);
			// Piped: no live line, so no carriage returns.
			expect(result.stderr).not.toContain('\r');
		}
	});
});
