import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeQuickstart, makeZipBackup, snapshot, tempDir} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';

interface Listed {
	name: string;
	path: string;
	status: string;
	install?: {restored: boolean; from?: string};
}

const listJson = async (dir: string): Promise<Listed[]> => {
	const result = await runCli(['list', '--dir', dir, '--json']);
	expect(result.code, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as Listed[];
};

/** `delete` by path and by the name `list` shows: exit 2, one sentence, the folder byte for byte as it was. */
async function expectUndeletable(folder: string, sentence: RegExp): Promise<void> {
	const before = snapshot(folder);
	for (const args of [[folder], [path.basename(folder), '--dir', path.dirname(folder)]]) {
		const result = await runCli(['delete', ...args, '--yes']);
		expect(result.code, result.stderr).toBe(2);
		expect(result.stderr).toMatch(/^crx-backup: Refusing to delete /);
		expect(result.stderr).toMatch(sentence);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
	}
	expect(snapshot(folder)).toEqual(before);
}

describe('a restored install is an install, never a backup', () => {
	it('restored into a new folder or an existing empty one (fresh: no index): listed as a restored install, delete refuses it', async () => {
		const source = tempDir();
		const {quickstart} = makeQuickstart(source);
		const zip = makeZipBackup(path.join(source, 'nightly.zip'), quickstart);
		const parent = tempDir();
		const fresh = path.join(parent, 'restored');
		const empty = path.join(parent, 'into-empty');
		fs.mkdirSync(empty);
		for (const to of [fresh, empty]) {
			const restored = await runCli(['restore', zip, '--to', to, '--delete-index', '--json']);
			expect(restored.code, restored.stderr).toBe(0);
			expect(fs.existsSync(path.join(to, 'crx-quickstart', 'repository', 'index'))).toBe(false);
			expect(JSON.parse(fs.readFileSync(path.join(to, '.crx-restored'), 'utf8'))).toMatchObject({format: 'crx-restored', backup: zip});
		}

		const listed = await listJson(parent);
		expect(listed.map(record => [record.name, record.status, record.install])).toEqual(expect.arrayContaining([
			['restored', 'install', {restored: true, from: zip}],
			['into-empty', 'install', {restored: true, from: zip}],
		]));
		const table = await runCli(['list', '--dir', parent]);
		expect(table.stdout.split('\n').filter(line => /^(restored|into-empty) /.test(line)).map(line => line.trim().endsWith('◆ restored install'))).toEqual([true, true]);

		for (const to of [fresh, empty]) await expectUndeletable(to, /it is an install crx-backup restored from .*nightly\.zip, not a backup/);
	});

	it('once started (it has an index now) it is still listed and refused', async () => {
		const source = tempDir();
		const {quickstart} = makeQuickstart(source);
		const zip = makeZipBackup(path.join(source, 'nightly.zip'), quickstart);
		const parent = tempDir();
		const to = path.join(parent, 'aem-prod');
		expect((await runCli(['restore', zip, '--to', to])).code).toBe(0);
		expect(fs.existsSync(path.join(to, 'crx-quickstart', 'repository', 'index'))).toBe(true);
		expect((await listJson(parent)).map(record => [record.name, record.status])).toEqual([['aem-prod', 'install']]);
		await expectUndeletable(to, /restored/);
	});
});

describe('a folder holding crx-quickstart with neither manifest nor marker is an install', () => {
	it('without an index (stopped, or cleaned): listed as an install, delete refuses it; with one: not listed, refused', async () => {
		const parent = tempDir();
		const stopped = makeQuickstart(parent, 'AEM-stopped');
		fs.rmSync(path.join(stopped.quickstart, 'repository', 'index'), {recursive: true});
		const running = makeQuickstart(parent, 'AEM-running');

		const listed = await listJson(parent);
		expect(listed.map(record => [record.name, record.status, record.install])).toEqual([['AEM-stopped', 'install', {restored: false}]]);
		expect((await runCli(['list', '--dir', parent])).stdout).toMatch(/^AEM-stopped .*◆ install$/m);

		await expectUndeletable(stopped.install, /neither a crx-backup-manifest\.jsonl nor AEM's backupInProgress\.txt, so it may be an install/);
		const before = snapshot(running.install);
		const result = await runCli(['delete', running.install, '--yes']);
		expect(result.code).toBe(2);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(snapshot(running.install)).toEqual(before);
	});
});
