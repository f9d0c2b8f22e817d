import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {runBackup} from '../../../source/engine/backup/run.js';
import {listingCacheFile, trustedCache} from '../../../source/engine/backup/listing-cache.js';
import {resolveRepository, resolveTarget} from '../../../source/engine/backup/repository.js';
import {StateReader, StateWriter, type StateRecord} from '../../../source/engine/walk/state-file.js';
import type {BackupEvent, BackupSummary} from '../../../source/engine/types.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../../support/trees.js';

let root: string;
let stateDir: string;
beforeEach(() => {
	root = tempDir();
	stateDir = path.join(root, 'state');
	process.env.CRX_BACKUP_STATE_DIR = stateDir;
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

const skip = ['repository/index', 'repository/cache'];

/** A fresh install whose folders have settled: a listing made within 2 s of a folder's change is never reused. */
async function settledInstall(): Promise<{install: string; quickstart: string}> {
	const made = makeInstall(root);
	await new Promise(resolve => setTimeout(resolve, 2100));
	return made;
}

async function backup(install: string, name: string): Promise<{summary: BackupSummary; counted: number}> {
	const repository = await resolveRepository(install);
	let counted = -1;
	const summary = await runBackup({
		repository, target: resolveTarget(repository, path.join(root, name)), delayMs: 0,
		onEvent: (event: BackupEvent) => {
			if (event.type === 'start') counted = event.repositoryFiles;
		},
	});
	return {summary, counted};
}

/** Rewrites one folder's names in a listing file, keeping its times and inode: what a stale or forged cache would say. */
function editListing(file: string, rel: string, names: (old: string[]) => string[]): void {
	const reader = new StateReader(file);
	const records: StateRecord[] = [];
	for (let record = reader.next(); record; record = reader.next()) records.push(record);
	reader.close();
	const folder = records.find(record => record.rel === rel);
	expect(folder?.names).toBeDefined();
	folder!.names = names(folder!.names!);
	const writer = new StateWriter(file);
	for (const record of records) writer.write(record);
	writer.close();
}

test('a backup leaves its folder listings for the next count, which reuses a folder\'s only while the folder is unchanged', async () => {
	const {install, quickstart} = await settledInstall();
	const first = await backup(install, 'b1');
	const cacheA = listingCacheFile(quickstart, 'A');
	expect(fs.statSync(cacheA).mode & 0o777).toBe(0o600);
	expect(fs.statSync(listingCacheFile(quickstart, 'B')).size).toBeGreaterThan(0);
	expect(trustedCache(cacheA)).toBe(cacheA);

	// The count takes an unchanged folder's names from the cache: a listing that leaves a file out hides it from the count.
	editListing(cacheA, 'conf', names => names.filter(name => name !== 'sling.properties'));
	const second = await backup(install, 'b2');
	expect(second.counted).toBe(first.counted - 1);

	// Once the folder changes (a file added), its times differ from the listing's and it is read again.
	editListing(listingCacheFile(quickstart, 'A'), 'conf', names => names.filter(name => name !== 'sling.properties'));
	fs.writeFileSync(path.join(quickstart, 'conf', 'added.properties'), 'x=1\n');
	const third = await backup(install, 'b3');
	expect(third.counted).toBe(first.counted + 1);
	expect(contentOf(describeTree(path.join(root, 'b3', 'crx-quickstart')))).toEqual(contentOf(describeTree(quickstart, {skip})));
});

test('a damaged cache costs only speed: the backup is complete', async () => {
	const {install, quickstart} = await settledInstall();
	const first = await backup(install, 'b1');
	for (const phase of ['A', 'B'] as const) fs.writeFileSync(listingCacheFile(quickstart, phase), crypto.randomBytes(70_000));
	const second = await backup(install, 'b2');
	expect(second.counted).toBe(first.counted);
	expect(contentOf(describeTree(path.join(root, 'b2', 'crx-quickstart')))).toEqual(contentOf(describeTree(quickstart, {skip})));
	// And the damaged cache was replaced by a good one.
	expect(trustedCache(listingCacheFile(quickstart, 'A'))).toBeDefined();
	const third = await backup(install, 'b3');
	expect(third.counted).toBe(first.counted);
});

test('a cache in a folder other users can write to is not trusted', async () => {
	const {install, quickstart} = await settledInstall();
	await backup(install, 'b1');
	const cacheA = listingCacheFile(quickstart, 'A');
	editListing(cacheA, 'conf', names => names.filter(name => name !== 'sling.properties'));
	fs.chmodSync(stateDir, 0o777);
	expect(trustedCache(cacheA)).toBeUndefined();
	// Such a state folder is refused outright now (test/security/state-folder.test.ts): no backup reads a cache from it.
	await expect(backup(install, 'b2')).rejects.toThrow(/writable by other users/);
	expect(fs.existsSync(path.join(root, 'b2'))).toBe(false);

	fs.chmodSync(stateDir, 0o700);
	fs.chmodSync(cacheA, 0o666);
	expect(trustedCache(cacheA)).toBeUndefined();
});
