import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CrxError} from '../../../source/engine/platform/errors.js';
import {verify} from '../../../source/engine/verify/run.js';
import {corruptEntry, makeDirectoryBackup, makeQuickstart, makeZipBackup, manifestOf, ownerRecord, pythonZip, tempDir} from '../../support/catalog-helpers.js';

function source() {
	const root = tempDir();
	return {root, ...makeQuickstart(root)};
}

const fileCount = (result: {files: number}) => result.files;

describe('verify a directory backup', () => {
	it('passes an intact copy and counts every file', async () => {
		const {root, quickstart} = source();
		const backup = makeDirectoryBackup(path.join(root, 'backup'), quickstart);
		const result = await verify(backup);
		expect(result.problems).toEqual([]);
		expect(result.ok).toBe(true);
		expect(fileCount(result)).toBe(14);
		expect(result.bytes).toBeGreaterThan(200_000);
	});

	it('names a changed file, a missing one and an extra one', async () => {
		const {root, quickstart} = source();
		const backup = makeDirectoryBackup(path.join(root, 'backup'), quickstart);
		const tar = path.join(backup, 'crx-quickstart/repository/segmentstore/data00000a.tar');
		const handle = fs.openSync(tar, 'r+');
		fs.writeSync(handle, Buffer.from([0x00, 0x01, 0x02]), 0, 3, 1000); // Same size, other bytes.
		fs.closeSync(handle);
		fs.rmSync(path.join(backup, 'crx-quickstart/conf/sling.properties'));
		fs.writeFileSync(path.join(backup, 'crx-quickstart/stowaway.txt'), 'not backed up');
		const result = await verify(backup);
		expect(result.ok).toBe(false);
		expect(result.problems.map(problem => problem.path).sort()).toEqual([
			'crx-quickstart/conf/sling.properties',
			'crx-quickstart/repository/segmentstore/data00000a.tar',
			'crx-quickstart/stowaway.txt',
		]);
		expect(result.problems.find(problem => problem.path.endsWith('.tar'))!.problem).toContain('CRC-32');
	});

	it('reports an unfinished backup and refuses one without a manifest', async () => {
		const {root, quickstart} = source();
		const marked = makeDirectoryBackup(path.join(root, 'marked'), quickstart, {marker: ownerRecord(false)});
		expect((await verify(marked)).problems.map(problem => problem.path)).toEqual(['backupInProgress.txt']);
		const aem = makeDirectoryBackup(path.join(root, 'aem'), quickstart, {manifest: false});
		const error = await verify(aem).catch((caught: unknown) => caught);
		expect((error as CrxError).exitCode).toBe(2);
	});
});

describe('verify a zip backup', () => {
	it('passes an intact zip with a manifest, and an AEM zip by CRC alone', async () => {
		const {root, quickstart} = source();
		const ours = await verify(makeZipBackup(path.join(root, 'ours.zip'), quickstart));
		expect(ours).toMatchObject({ok: true, files: 14, problems: []});
		const java = await verify(makeZipBackup(path.join(root, 'java.zip'), quickstart, {java: true}));
		expect(java).toMatchObject({ok: true, files: 14, problems: []});
	});

	it('names the entry whose data fails its CRC (yauzl itself does not check CRCs)', async () => {
		const {root, quickstart} = source();
		const zip = makeZipBackup(path.join(root, 'stored.zip'), quickstart, {deflate: false});
		corruptEntry(zip, 'crx-quickstart/repository/segmentstore/data00000a.tar');
		const result = await verify(zip);
		expect(result.ok).toBe(false);
		expect(result.problems).toEqual([{path: 'crx-quickstart/repository/segmentstore/data00000a.tar', problem: expect.stringContaining('CRC-32') as string}]);
		expect(result.files).toBe(14);
	});

	it('finds entries missing from the zip and entries the manifest does not name', async () => {
		const {root, quickstart} = source();
		const manifest = manifestOf(quickstart, {kind: 'zip'});
		const zip = pythonZip(path.join(root, 'odd.zip'), [
			{name: 'crx-backup-manifest.jsonl', text: manifest},
			{name: 'crx-quickstart/', external: (0o040755 << 16) >>> 0},
			{name: 'crx-quickstart/bin/start', text: '#!/bin/sh\necho bin/start\n', external: (0o100755 << 16) >>> 0},
			{name: 'crx-quickstart/extra.txt', text: 'extra', external: (0o100644 << 16) >>> 0},
		]);
		const result = await verify(zip);
		expect(result.ok).toBe(false);
		const byPath = Object.fromEntries(result.problems.map(problem => [problem.path, problem.problem]));
		expect(byPath['crx-quickstart/extra.txt']).toContain('extra');
		expect(byPath['crx-quickstart/conf/sling.properties']).toContain('missing');
		expect(byPath['crx-quickstart/bin/start']).toBeUndefined();
	});

	it('finds the same problems when another tool wrote the entries out of path order (matched by name, not streamed)', async () => {
		const {root, quickstart} = source();
		const manifest = manifestOf(quickstart, {kind: 'zip'});
		const zip = pythonZip(path.join(root, 'shuffled.zip'), [
			{name: 'crx-backup-manifest.jsonl', text: manifest},
			{name: 'crx-quickstart/extra.txt', text: 'extra', external: (0o100644 << 16) >>> 0},
			{name: 'crx-quickstart/bin/start', text: '#!/bin/sh\necho bin/start\n', external: (0o100755 << 16) >>> 0},
			{name: 'crx-quickstart/', external: (0o040755 << 16) >>> 0},
		]);
		const result = await verify(zip);
		expect(result.ok).toBe(false);
		const byPath = Object.fromEntries(result.problems.map(problem => [problem.path, problem.problem]));
		expect(byPath['crx-quickstart/extra.txt']).toContain('extra');
		expect(byPath['crx-quickstart/conf/sling.properties']).toContain('missing');
		expect(byPath['crx-quickstart/bin/start']).toBeUndefined();
		expect(byPath['crx-quickstart']).toBeUndefined();
	});

	it('reports a zip that cannot be opened', async () => {
		const {root} = source();
		fs.writeFileSync(path.join(root, 'broken.zip'), 'PK but not really a zip');
		const result = await verify(path.join(root, 'broken.zip'));
		expect(result.ok).toBe(false);
		expect(result.problems[0]!.problem).toContain('cannot be read');
	});
});
