import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CrxError} from '../../../source/engine/platform/errors.js';
import {restore} from '../../../source/engine/restore/run.js';
import {planRestore} from '../../../source/engine/restore/plan.js';
import type {RestoreEvent} from '../../../source/engine/types.js';
import {corruptEntry, makeDirectoryBackup, makeQuickstart, makeZipBackup, ownerRecord, pythonZip, snapshot, tempDir} from '../../support/catalog-helpers.js';

function source() {
	const root = tempDir();
	return {root, ...makeQuickstart(root)};
}

async function exitCodeOf(promise: Promise<unknown>): Promise<number> {
	const error = await promise.then(() => undefined, (caught: unknown) => caught);
	expect(error).toBeInstanceOf(CrxError);
	return (error as CrxError).exitCode;
}

/** Nothing but `expected` in the restore folder's parent: no staging folder left behind. */
const siblings = (to: string) => fs.readdirSync(path.dirname(to)).sort();

describe('restore a zip', () => {
	it('restores our zip byte for byte with its modes, in steps verify → extract → modes', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'ours.zip'), quickstart);
		const to = path.join(tempDir(), 'restored');
		const events: RestoreEvent[] = [];
		const summary = await restore({backup: zip, to, onEvent: event => events.push(event)});
		expect(snapshot(path.join(to, 'crx-quickstart'))).toEqual(snapshot(quickstart));
		expect(summary).toMatchObject({to, files: 14, madeExecutable: [], deletedIndex: false});
		expect(events.filter(event => event.type === 'step-start').map(event => event.type === 'step-start' && event.step)).toEqual(['verify', 'extract', 'modes']);
		expect(events.at(-1)!.type).toBe('done');
		const progress = events.filter(event => event.type === 'progress' && event.step === 'extract');
		expect(progress.at(-1)).toMatchObject({filesDone: 14, filesTotal: 14, bytesDone: summary.bytes, bytesTotal: summary.bytes});
		expect(siblings(to)).toEqual(['restored']);
	});

	it('makes control scripts and #! files executable when the zip has no unix modes (AEM/Java)', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'java.zip'), quickstart, {java: true});
		const expected = ['bin/quickstart', 'bin/start', 'bin/status', 'bin/stop', 'opt/helper.sh', 'server/serverctl', 'server/start', 'server/stop'].map(name => `crx-quickstart/${name}`);
		const plan = await planRestore(zip);
		expect(plan).toMatchObject({kind: 'zip', files: 14, hasUnixModes: false, inProgress: false});
		expect([...plan.willMakeExecutable].sort()).toEqual(expected);
		const to = path.join(tempDir(), 'restored');
		const summary = await restore({backup: zip, to});
		expect([...summary.madeExecutable].sort()).toEqual(expected);
		const mode = (rel: string) => (fs.statSync(path.join(to, rel)).mode & 0o777).toString(8);
		expect(mode('crx-quickstart/server/serverctl')).toBe('755');
		expect(mode('crx-quickstart/opt/helper.sh')).toBe('755');
		expect(mode('crx-quickstart/conf/sling.properties')).toBe('644');
		expect(snapshot(path.join(to, 'crx-quickstart'), {modes: false})).toEqual(snapshot(quickstart, {modes: false}));
	});

	it('fails with exit 1 on a CRC error and leaves the folder absent, or empty', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'stored.zip'), quickstart, {deflate: false});
		corruptEntry(zip, 'crx-quickstart/repository/segmentstore/data00000a.tar');
		const parent = tempDir();
		const absent = path.join(parent, 'new');
		expect(await exitCodeOf(restore({backup: zip, to: absent}))).toBe(1);
		expect(fs.existsSync(absent)).toBe(false);
		const empty = path.join(parent, 'empty');
		fs.mkdirSync(empty);
		expect(await exitCodeOf(restore({backup: zip, to: empty}))).toBe(1);
		expect(fs.readdirSync(empty)).toEqual([]);
		expect(siblings(empty)).toEqual(['empty']);
	});

	it('refuses hostile entries before writing anything', async () => {
		const parent = tempDir();
		const to = path.join(parent, 'DIR');
		fs.mkdirSync(path.join(parent, 'DIR2'));
		const good = {name: 'crx-quickstart/bin/start', text: '#!/bin/sh\n', external: (0o100755 << 16) >>> 0};
		const link = (target: string) => ({name: 'crx-quickstart/link', text: target, external: (0o120777 << 16) >>> 0});
		const hostile = [
			{name: '../evil', text: 'evil'},
			{name: '/abs', text: 'evil'},
			{name: 'crx-quickstart/../../evil', text: 'evil'},
			{name: '..\\evil', text: 'evil'},
			{name: 'crx-quickstart/../DIR2/x', text: 'evil'},
			{name: 'elsewhere/x', text: 'evil'},
			link('../../outside'),
			link('/etc/passwd'),
			link('../../DIR2/x'), // A string-prefix check would let DIR2 pass for DIR.
		];
		// Enough good entries first that `list` calls it a backup: the refusal must come from restore's own check.
		const padding = Array.from({length: 9}, (_, index) => ({...good, name: `crx-quickstart/pad/${index}`}));
		for (const [index, entry] of hostile.entries()) {
			const zip = pythonZip(path.join(parent, `hostile-${index}.zip`), [good, ...padding, entry]);
			const error = await restore({backup: zip, to}).catch((caught: unknown) => caught) as CrxError;
			expect(error).toBeInstanceOf(CrxError);
			expect([error.exitCode, error.message], entry.name).toEqual([2, expect.stringContaining('nothing was restored')]);
			expect(fs.existsSync(to)).toBe(false);
			fs.rmSync(zip);
		}
		expect(siblings(to)).toEqual(['DIR2']);
		expect(fs.readdirSync(path.join(parent, 'DIR2'))).toEqual([]);
	});

	it('restores a symlink whose target stays inside the folder', async () => {
		const parent = tempDir();
		const zip = pythonZip(path.join(parent, 'links.zip'), [
			{name: 'crx-quickstart/bin/start', text: '#!/bin/sh\n', external: (0o100755 << 16) >>> 0},
			{name: 'crx-quickstart/bin/run', text: 'start', external: (0o120777 << 16) >>> 0},
		]);
		const to = path.join(parent, 'restored');
		await restore({backup: zip, to});
		expect(fs.readlinkSync(path.join(to, 'crx-quickstart/bin/run'))).toBe('start');
	});

	it('never writes through a link the zip itself made: an entry under a link entry is refused before anything is written', async () => {
		const parent = tempDir();
		const zip = pythonZip(path.join(parent, 'clash.zip'), [
			{name: 'crx-quickstart/bin/start', text: '#!/bin/sh\n', external: (0o100755 << 16) >>> 0},
			{name: 'crx-quickstart/sub', text: 'bin', external: (0o120777 << 16) >>> 0},
			{name: 'crx-quickstart/sub/x', text: 'through the link?', external: (0o100644 << 16) >>> 0},
		]);
		const to = path.join(parent, 'restored');
		expect(await exitCodeOf(restore({backup: zip, to}))).toBe(2);
		expect(siblings(to)).toEqual(['clash.zip']);
	});

	it('restores --only subtrees and deletes the index with --delete-index', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'ours.zip'), quickstart);
		const only = path.join(tempDir(), 'only');
		const summary = await restore({backup: zip, to: only, only: ['repository/segmentstore', 'crx-quickstart/conf/']});
		expect(Object.keys(snapshot(only)).filter(rel => !snapshot(only)[rel]!.startsWith('dir'))).toEqual([
			'.crx-restored', // restore's own marker: the folder is an install
			'crx-quickstart/conf/sling.properties',
			'crx-quickstart/repository/segmentstore/data00000a.tar',
			'crx-quickstart/repository/segmentstore/journal.log',
		]);
		expect(summary.files).toBe(3);
		expect((fs.statSync(path.join(only, 'crx-quickstart/conf')).mode & 0o777).toString(8)).toBe('750');
		expect(await exitCodeOf(restore({backup: zip, to: path.join(tempDir(), 'x'), only: ['nothing/here']}))).toBe(2);
		expect(await exitCodeOf(restore({backup: zip, to: path.join(tempDir(), 'x'), only: ['../etc']}))).toBe(2);

		const indexed = path.join(tempDir(), 'indexed');
		expect((await restore({backup: zip, to: indexed, deleteIndex: true})).deletedIndex).toBe(true);
		expect(fs.existsSync(path.join(indexed, 'crx-quickstart/repository/index'))).toBe(false);
		expect(fs.existsSync(path.join(indexed, 'crx-quickstart/repository/segmentstore/journal.log'))).toBe(true);
	});

	it('cleans up when cancelled mid-way (exit 130)', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'ours.zip'), quickstart);
		const to = path.join(tempDir(), 'restored');
		const controller = new AbortController();
		const onEvent = (event: RestoreEvent) => {
			if (event.type === 'progress' && event.filesDone >= 3) controller.abort();
		};
		expect(await exitCodeOf(restore({backup: zip, to, signal: controller.signal, onEvent}))).toBe(130);
		expect(siblings(to)).toEqual([]);
	});
});

describe('restore folder rules', () => {
	it('refuses a non-empty folder, a file and a symlink, leaving each untouched', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'ours.zip'), quickstart);
		const parent = tempDir();
		const full = path.join(parent, 'full');
		fs.mkdirSync(full);
		fs.writeFileSync(path.join(full, 'keep.txt'), 'keep');
		fs.writeFileSync(path.join(parent, 'file'), 'file');
		const emptyElsewhere = tempDir();
		fs.symlinkSync(emptyElsewhere, path.join(parent, 'link'));
		for (const to of ['full', 'file', 'link']) expect(await exitCodeOf(restore({backup: zip, to: path.join(parent, to)}))).toBe(2);
		expect(fs.readdirSync(full)).toEqual(['keep.txt']);
		expect(fs.readFileSync(path.join(parent, 'file'), 'utf8')).toBe('file');
		expect(fs.readdirSync(emptyElsewhere)).toEqual([]);
		expect(siblings(full)).toEqual(['file', 'full', 'link']);
	});

	it('restores into an existing empty folder', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'ours.zip'), quickstart);
		const to = tempDir();
		await restore({backup: zip, to});
		expect(fs.readdirSync(to)).toEqual(['.crx-restored', 'crx-quickstart']);
		expect(snapshot(path.join(to, 'crx-quickstart'))).toEqual(snapshot(quickstart));
	});
});

describe('restore a directory backup', () => {
	it('copies it back with the manifest\'s original modes and mtimes', async () => {
		const {root, quickstart} = source();
		const backup = makeDirectoryBackup(path.join(root, 'backup'), quickstart);
		expect((fs.statSync(path.join(backup, 'crx-quickstart/bin/start')).mode & 0o777).toString(8)).toBe('700');
		const plan = await planRestore(backup);
		expect(plan).toMatchObject({kind: 'directory', files: 14, hasUnixModes: true, inProgress: false, willMakeExecutable: []});
		const to = path.join(tempDir(), 'restored');
		const summary = await restore({backup, to});
		expect(summary.files).toBe(14);
		expect(snapshot(path.join(to, 'crx-quickstart'))).toEqual(snapshot(quickstart));
		const mtime = (file: string) => fs.statSync(file).mtimeMs;
		expect(mtime(path.join(to, 'crx-quickstart/conf/sling.properties'))).toBeCloseTo(mtime(path.join(quickstart, 'conf/sling.properties')), 2);
	});

	it('refuses one still marked in progress unless forced', async () => {
		const {root, quickstart} = source();
		const backup = makeDirectoryBackup(path.join(root, 'backup'), quickstart, {marker: ownerRecord(false)});
		expect((await planRestore(backup)).inProgress).toBe(true);
		const to = path.join(tempDir(), 'restored');
		expect(await exitCodeOf(restore({backup, to}))).toBe(2);
		expect(fs.existsSync(to)).toBe(false);
		await restore({backup, to, force: true});
		expect(snapshot(path.join(to, 'crx-quickstart'))).toEqual(snapshot(quickstart));
	});

	it('fails with exit 1 when a file no longer matches the manifest, leaving nothing behind', async () => {
		const {root, quickstart} = source();
		const backup = makeDirectoryBackup(path.join(root, 'backup'), quickstart);
		fs.appendFileSync(path.join(backup, 'crx-quickstart/conf/sling.properties'), 'tampered');
		const to = path.join(tempDir(), 'restored');
		expect(await exitCodeOf(restore({backup, to}))).toBe(1);
		expect(siblings(to)).toEqual([]);
	});

	it('restores an AEM directory backup (no manifest) with the modes on disk', async () => {
		const {root, quickstart} = source();
		const backup = path.join(root, 'aem-copy');
		fs.mkdirSync(backup);
		// AEM's own directory backups leave repository/index out (a folder with an index is taken for an install).
		fs.cpSync(quickstart, path.join(backup, 'crx-quickstart'), {recursive: true, filter: from => !from.includes(`${path.sep}repository${path.sep}index`)});
		const to = path.join(tempDir(), 'restored');
		expect((await restore({backup, to, only: ['bin']})).files).toBe(4);
		expect((fs.statSync(path.join(to, 'crx-quickstart/bin/start')).mode & 0o777).toString(8)).toBe('755');
	});
});
