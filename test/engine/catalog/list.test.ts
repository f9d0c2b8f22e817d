import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {find, list} from '../../../source/engine/catalog/list.js';
import {CrxError} from '../../../source/engine/platform/errors.js';
import {remove} from '../../../source/engine/catalog/delete.js';
import type {Repository} from '../../../source/engine/types.js';
import {makeDirectoryBackup, makeQuickstart, makeZipBackup, markMade, ownerRecord, pythonZip, tempDir} from '../../support/catalog-helpers.js';

/** Each test's own state folder, where crx-backup records the backups it made (markMade records the hand-made ones). */
const savedState = process.env.CRX_BACKUP_STATE_DIR;
afterEach(() => {
	if (savedState === undefined) delete process.env.CRX_BACKUP_STATE_DIR;
	else process.env.CRX_BACKUP_STATE_DIR = savedState;
});

function setup() {
	const root = tempDir();
	const {install, quickstart} = makeQuickstart(root);
	const repository: Repository = {install, quickstart, backupDir: root};
	const state = path.join(tempDir(), 'state');
	fs.mkdirSync(state, {mode: 0o700});
	process.env.CRX_BACKUP_STATE_DIR = state;
	return {root, install, quickstart, repository, state};
}

async function usage(promise: Promise<unknown>): Promise<string> {
	const error = await promise.then(() => undefined, (caught: unknown) => caught);
	expect(error).toBeInstanceOf(CrxError);
	expect((error as CrxError).exitCode).toBe(2);
	return (error as CrxError).message;
}

const setMtime = (file: string, iso: string) => fs.utimesSync(file, new Date(iso), new Date(iso));

describe('list', () => {
	it('finds every kind of backup and leftover, with statuses, newest first, and never the install folder', async () => {
		const {root, quickstart, repository} = setup();
		makeDirectoryBackup(path.join(root, 'dir-complete'), quickstart, {manifest: {startedAt: '2026-01-01T10:00:00.000Z', bytes: 12_345, over24h: true}});
		makeDirectoryBackup(path.join(root, 'dir-running'), quickstart, {marker: ownerRecord(true), manifest: {startedAt: '2026-01-02T10:00:00.000Z'}});
		makeDirectoryBackup(path.join(root, 'dir-dead'), quickstart, {marker: ownerRecord(false), manifest: {startedAt: '2026-01-03T10:00:00.000Z'}});
		makeDirectoryBackup(path.join(root, 'dir-aem-marker'), quickstart, {marker: '', manifest: {startedAt: '2026-01-04T10:00:00.000Z'}});
		makeZipBackup(path.join(root, 'ours.zip'), quickstart, {manifest: {startedAt: '2026-02-01T10:00:00.000Z'}});
		makeZipBackup(path.join(root, 'java.zip'), quickstart, {java: true});
		setMtime(path.join(root, 'java.zip'), '2025-12-01T10:00:00.000Z');
		fs.writeFileSync(path.join(root, 'broken.zip'), 'not a zip at all');
		setMtime(path.join(root, 'broken.zip'), '2025-11-01T10:00:00.000Z');
		pythonZip(path.join(root, 'photos.zip'), [{name: 'holiday.jpg', text: 'jpeg'}]);
		fs.mkdirSync(path.join(root, 'random'));
		fs.writeFileSync(path.join(root, 'notes.txt'), 'hello');
		const staging = path.join(root, 'nightly.1a2b.temp');
		fs.mkdirSync(path.join(staging, 'crx-quickstart'), {recursive: true});
		fs.writeFileSync(path.join(staging, '.crx-backup-staging.json'), JSON.stringify({...ownerRecord(true), startedAt: '2026-03-01T10:00:00.000Z'}));
		fs.writeFileSync(path.join(staging, 'crx-quickstart', 'a'), 'x'.repeat(100));
		fs.writeFileSync(path.join(root, 'nightly.zip.1a2b.partial'), 'PK partial');
		setMtime(path.join(root, 'nightly.zip.1a2b.partial'), '2026-03-01T11:00:00.000Z');
		fs.writeFileSync(path.join(root, 'old.zip.beef.partial'), 'PK partial');
		setMtime(path.join(root, 'old.zip.beef.partial'), '2025-10-01T10:00:00.000Z');

		const records = await list({repository});
		const byName = Object.fromEntries(records.map(record => [record.name, record]));
		expect(records.map(record => record.name)).toEqual([
			'nightly.zip.1a2b.partial', 'nightly.1a2b.temp', 'ours.zip', 'dir-aem-marker', 'dir-dead', 'dir-running', 'dir-complete',
			'java.zip', 'broken.zip', 'old.zip.beef.partial',
		]);
		// A backup that ran over 24 hours is to be discarded (the seed): not complete, and it says why.
		expect(byName['dir-complete']).toMatchObject({kind: 'directory', status: 'incomplete', over24h: true, bytes: 12_345, created: '2026-01-01T10:00:00.000Z', problem: expect.stringContaining('longer than 24 hours')});
		expect(byName['dir-running']!.status).toBe('running');
		expect(byName['dir-dead']!.status).toBe('incomplete');
		expect(byName['dir-aem-marker']!.status).toBe('incomplete');
		expect(byName['ours.zip']).toMatchObject({kind: 'zip', status: 'complete', bytes: fs.statSync(path.join(root, 'ours.zip')).size});
		expect(byName['ours.zip']!.manifest?.kind).toBe('zip');
		expect(byName['java.zip']).toMatchObject({status: 'complete', created: '2025-12-01T10:00:00.000Z'});
		expect(byName['java.zip']!.manifest).toBeUndefined();
		expect(byName['broken.zip']!.status).toBe('incomplete');
		expect(byName['nightly.1a2b.temp']).toMatchObject({leftover: 'staging', status: 'running', bytes: 100 + fs.statSync(path.join(staging, '.crx-backup-staging.json')).size});
		expect(byName['nightly.zip.1a2b.partial']).toMatchObject({leftover: 'partial-zip', status: 'running'});
		expect(byName['old.zip.beef.partial']).toMatchObject({leftover: 'partial-zip', status: 'incomplete'});
	});

	it('looks in --dir folders without a repository, one level deep only', async () => {
		const {root, quickstart} = setup();
		const elsewhere = tempDir();
		makeZipBackup(path.join(elsewhere, 'a.zip'), quickstart);
		fs.mkdirSync(path.join(elsewhere, 'deeper'));
		makeZipBackup(path.join(elsewhere, 'deeper', 'b.zip'), quickstart);
		const records = await list({dirs: [elsewhere]});
		expect(records.map(record => record.name)).toEqual(['a.zip']);
		// Without a repository the install folder cannot be told from a backup: only --dir is searched, and root is not.
		expect((await list({dirs: [elsewhere]})).some(record => record.path.startsWith(root))).toBe(false);
		await usage(list({dirs: [path.join(elsewhere, 'missing')]}));
	});
});

describe('find', () => {
	it('resolves a path or a listed name, and refuses anything else', async () => {
		const {root, install, quickstart, repository} = setup();
		makeZipBackup(path.join(root, 'nightly.zip'), quickstart);
		expect((await find(path.join(root, 'nightly.zip'), {})).kind).toBe('zip');
		expect((await find('nightly.zip', {repository})).path).toBe(path.join(root, 'nightly.zip'));
		expect((await find('nightly', {repository})).path).toBe(path.join(root, 'nightly.zip'));
		expect(await usage(find('nope', {repository}))).toContain('No backup named nope');
		expect(await usage(find('nope', {}))).toContain('does not exist');
		fs.mkdirSync(path.join(root, 'random'));
		expect(await usage(find(path.join(root, 'random'), {repository}))).toContain('is not a backup');
		expect(await usage(find(install, {repository}))).toContain('live repository');
	});
});

describe('remove', () => {
	it('refuses the install folder, the repository, anything inside it or above it, with nothing touched', async () => {
		const {root, install, quickstart, repository} = setup();
		const before = fs.readdirSync(quickstart).sort();
		for (const target of [install, quickstart, path.join(quickstart, 'repository'), path.join(quickstart, 'bin', 'start'), root]) {
			expect(await usage(remove(target, {repository}))).toMatch(/live repository|not a backup/);
		}
		expect(fs.readdirSync(quickstart).sort()).toEqual(before);
		expect(fs.existsSync(path.join(quickstart, 'bin', 'start'))).toBe(true);
	});

	it('refuses a running backup and a folder that is not a backup', async () => {
		const {root, quickstart, repository} = setup();
		const running = makeDirectoryBackup(path.join(root, 'running'), quickstart, {marker: ownerRecord(true)});
		expect(await usage(remove(running, {repository}))).toContain('still writing');
		expect(fs.existsSync(path.join(running, 'crx-quickstart', 'bin', 'start'))).toBe(true);
		fs.mkdirSync(path.join(root, 'random'));
		fs.writeFileSync(path.join(root, 'random', 'keep.txt'), 'keep');
		await usage(remove(path.join(root, 'random'), {repository}));
		expect(fs.readFileSync(path.join(root, 'random', 'keep.txt'), 'utf8')).toBe('keep');
	});

	it('deletes backups and leftovers, by path or name', async () => {
		const {root, quickstart, repository, state} = setup();
		markMade(state, makeZipBackup(path.join(root, 'a.zip'), quickstart));
		// Leftovers are ours by their markers: this user's, naming this place.
		makeDirectoryBackup(path.join(root, 'dead'), quickstart, {marker: {...ownerRecord(false), target: path.join(root, 'dead')}});
		// A backup leaves the index out; one in a folder says AEM ran there, and delete would refuse it.
		fs.rmSync(path.join(root, 'dead', 'crx-quickstart', 'repository', 'index'), {recursive: true});
		fs.mkdirSync(path.join(root, 'x.0f0f.temp'));
		fs.writeFileSync(path.join(root, 'x.0f0f.temp', '.crx-backup-staging.json'), JSON.stringify({...ownerRecord(false), target: path.join(root, 'x.zip')}));
		fs.writeFileSync(path.join(root, 'x.zip.0f0f.partial'), 'PK');
		await remove('a.zip', {repository});
		await remove(path.join(root, 'dead'), {repository});
		await remove(path.join(root, 'x.0f0f.temp'), {repository});
		await remove(path.join(root, 'x.zip.0f0f.partial'), {repository});
		expect(fs.readdirSync(root)).toEqual(['AEM']);
	});

	it('removes a symlink inside a directory backup, never what it points to', async () => {
		const {root, quickstart, repository, state} = setup();
		const backup = makeDirectoryBackup(path.join(root, 'linked'), quickstart);
		fs.rmSync(path.join(backup, 'crx-quickstart', 'repository', 'index'), {recursive: true});
		const outside = tempDir();
		fs.writeFileSync(path.join(outside, 'precious.txt'), 'precious');
		fs.symlinkSync(outside, path.join(backup, 'crx-quickstart', 'outside-dir'));
		fs.symlinkSync(path.join(outside, 'precious.txt'), path.join(backup, 'crx-quickstart', 'outside-file'));
		markMade(state, backup);
		await remove(backup, {repository});
		expect(fs.existsSync(backup)).toBe(false);
		expect(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8')).toBe('precious');
	});
});

describe('another live install beside the backups', () => {
	it('is neither listed nor deletable, even when no repository is known', async () => {
		const {root} = setup();
		const other = makeQuickstart(root, 'AEM2');
		fs.mkdirSync(path.join(other.quickstart, 'repository', 'index'), {recursive: true});
		fs.writeFileSync(path.join(other.quickstart, 'repository', 'index', 'segments_1'), 'live index');
		const records = await list({dirs: [root]});
		expect(records.map(record => record.name)).not.toContain('AEM2');
		await usage(remove(other.install, {dirs: [root]}));
		expect(fs.existsSync(path.join(other.quickstart, 'repository', 'index', 'segments_1'))).toBe(true);
	});
});
