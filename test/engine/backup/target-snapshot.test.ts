import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {runBackup} from '../../../source/engine/backup/run.js';
import {resolveRepository, resolveTarget} from '../../../source/engine/backup/repository.js';
import {scopes} from '../../../source/engine/backup/stages.js';
import {StateReader, type StateRecord} from '../../../source/engine/walk/state-file.js';
import {HelperThread} from '../../../source/engine/walk/helper-thread.js';
import {snapshotTarget} from '../../../source/engine/walk/target-snapshot.js';
import type {SnapshotJob} from '../../../source/engine/walk/helper-jobs.js';
import type {Phase} from '../../../source/engine/types.js';
import {projectRoot} from '../../support/cli.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../../support/trees.js';

let root: string;
beforeEach(() => {
	root = tempDir();
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

const read = (file: string): StateRecord[] => {
	const reader = new StateReader(file);
	const records: StateRecord[] = [];
	for (let record = reader.next(); record; record = reader.next()) records.push(record);
	reader.close();
	return records;
};

const job = (target: string, manifest: string | undefined, dir: string): SnapshotJob => ({
	target, previousManifest: manifest,
	phases: (['A', 'B'] as Phase[]).map(phase => ({phase, scope: scopes[phase], file: path.join(dir, `${phase}.state`)})),
});

/** A directory backup of the small install, and a manifest moved aside as a re-sync does. */
async function previousBackup(): Promise<{quickstart: string; target: string; manifest: string}> {
	const {install, quickstart} = makeInstall(root);
	const repository = await resolveRepository(install);
	await runBackup({repository, target: resolveTarget(repository, path.join(root, 'b')), delayMs: 0});
	const manifest = path.join(root, 'previous-manifest.jsonl');
	fs.copyFileSync(path.join(root, 'b', 'crx-backup-manifest.jsonl'), manifest);
	return {quickstart, target: path.join(root, 'b', 'crx-quickstart'), manifest};
}

test('the snapshot taken on a worker thread holds the same records as one taken in-thread', async () => {
	const {target, manifest} = await previousBackup();
	fs.writeFileSync(path.join(target, 'logs', 'error.log'), 'changed in the target by hand\n'); // no longer matches the manifest
	fs.mkdirSync(path.join(root, 'worker'));
	fs.mkdirSync(path.join(root, 'thread'));

	const helper = new HelperThread();
	try {
		expect(await snapshotTarget(job(target, manifest, path.join(root, 'worker')), helper)).toBe('worker');
		expect(helper.usable).toBe(true); // kept for the walks that follow
	} finally {
		await helper.close();
	}
	expect(await snapshotTarget(job(target, manifest, path.join(root, 'thread')), undefined)).toBe('in-thread');

	for (const phase of ['A', 'B']) {
		const records = read(path.join(root, 'worker', `${phase}.state`));
		expect(records).toEqual(read(path.join(root, 'thread', `${phase}.state`)));
		expect(records.length).toBeGreaterThan(5);
	}
	const phaseA = read(path.join(root, 'worker', 'A.state'));
	expect(phaseA.find(record => record.rel === 'conf/sling.properties')).toMatchObject({type: 'file', quick: true, racy: false});
	expect(phaseA.find(record => record.rel === 'logs/error.log')).toMatchObject({type: 'file', racy: true});
	expect(phaseA.some(record => record.rel.startsWith('repository/datastore'))).toBe(false);
	expect(read(path.join(root, 'worker', 'B.state'))[0]).toMatchObject({rel: 'repository/datastore', type: 'dir'});
});

test('the built module (what the CLI runs) takes it on its worker thread too', async () => {
	const {target, manifest} = await previousBackup();
	// npm test builds dist/ before running the tests.
	const engine = path.join(projectRoot, 'dist', 'source', 'engine');
	const built = await import(pathToFileURL(path.join(engine, 'walk', 'target-snapshot.js')).href) as typeof import('../../../source/engine/walk/target-snapshot.js');
	const {HelperThread: BuiltHelper} = await import(pathToFileURL(path.join(engine, 'walk', 'helper-thread.js')).href) as typeof import('../../../source/engine/walk/helper-thread.js');
	fs.mkdirSync(path.join(root, 'worker'));
	const helper = new BuiltHelper();
	try {
		expect(await built.snapshotTarget(job(target, manifest, path.join(root, 'worker')), helper)).toBe('worker');
	} finally {
		await helper.close();
	}
	expect(read(path.join(root, 'worker', 'B.state')).filter(record => record.quick)).toHaveLength(12);
});

test('a snapshot that cannot be written fails with the real error, from the worker or not', async () => {
	const {target, manifest} = await previousBackup();
	const failing = job(target, manifest, path.join(root, 'missing-folder'));
	const helper = new HelperThread();
	try {
		await expect(snapshotTarget(failing, helper)).rejects.toMatchObject({code: 'ENOENT'});
	} finally {
		await helper.close();
	}
	await expect(snapshotTarget(failing, undefined)).rejects.toMatchObject({code: 'ENOENT'});
	expect(fs.existsSync(path.join(root, 'missing-folder'))).toBe(false);
});

test('a re-sync whose target was changed by hand ends up equal to the source again', async () => {
	const {quickstart, target} = await previousBackup();
	fs.writeFileSync(path.join(target, 'conf', 'sling.properties'), 'sling.run.modes=publish\n'); // its mtime and size no longer match the manifest
	fs.writeFileSync(path.join(target, 'logs', 'stray.log'), 'not in the source\n');
	fs.rmSync(path.join(target, 'bin', 'start'));
	const repository = await resolveRepository(path.dirname(quickstart));
	const summary = await runBackup({repository, target: resolveTarget(repository, path.join(root, 'b')), delayMs: 0});

	expect(summary.stages[0]!.deleted).toBe(1);
	expect(summary.stages[0]!.files).toBe(2);
	const skip = ['repository/index', 'repository/cache'];
	expect(contentOf(describeTree(target, {skip}))).toEqual(contentOf(describeTree(quickstart, {skip})));
	expect(fs.readdirSync(path.join(root, 'b')).sort()).toEqual(['crx-backup-manifest.jsonl', 'crx-quickstart']);
});
