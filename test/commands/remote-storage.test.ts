import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {errorLines, faultDir, stateEnv, treeDigest} from '../support/faults.js';
import {writeStorageConfig, type ConfigPlace} from '../../source/demo/external-datastore.js';

/**
 * Storage no file copy captures (MongoDB, S3, Azure) is
 * refused with exit 2 and one sentence naming it and what to use instead,
 * unless --files-only says the operator knows. A MongoDB password is never printed.
 */
const remotes: Array<[string, ConfigPlace, Record<string, Record<string, string | boolean>>, RegExp]> = [
	['MongoDB', 'install', {'org.apache.jackrabbit.oak.plugins.document.DocumentNodeStoreService': {mongouri: 'mongodb://aem:s3cret@db.example:27017', db: 'aem'}}, /MongoDB at mongodb:\/\/aem:\*\*\*@db\.example:27017 .*mongodump/],
	['S3', 'launchpad', {'org.apache.jackrabbit.oak.plugins.blob.datastore.S3DataStore': {s3Bucket: 'assets', accessKey: 'AKIA'}, 'org.apache.jackrabbit.oak.segment.SegmentNodeStoreService': {customBlobStore: true}}, /Amazon S3 \(S3DataStore\).*snapshots and versioning/],
	['Azure', 'install-json', {'org.apache.jackrabbit.oak.plugins.blob.datastore.AzureDataStore': {container: 'assets'}}, /Azure Blob Storage \(AzureDataStore\).*snapshots and versioning/],
];

for (const [name, place, configs, sentence] of remotes) {
	test(`${name} storage: backup refuses with exit 2 and one sentence, nothing written; --files-only backs up the files with a warning`, async () => {
		const root = faultDir('crx-remote-');
		const {install, quickstart} = makeInstall(root);
		writeStorageConfig(quickstart, place, configs);
		const env = stateEnv(root);
		// The state folder gets the refused run's record (status and --on-failure see it): nothing else is written.
		const before = treeDigest(root, {skipTop: ['state']});
		const target = path.join(root, 'night.zip');
		const refused = await runCli(['backup', '--repo', install, '--target', target], {env});
		expect(refused.code, refused.stderr).toBe(2);
		const lines = errorLines(refused);
		expect(lines, refused.stderr).toHaveLength(1);
		expect(lines[0]).toMatch(sentence);
		expect(lines[0]).toMatch(/--files-only/);
		expect(refused.stderr + refused.stdout).not.toContain('s3cret');
		expect(treeDigest(root, {skipTop: ['state']})).toEqual(before);

		const allowed = await runCli(['backup', '--repo', install, '--target', target, '--files-only', '--json'], {env});
		expect(allowed.code, allowed.stderr).toBe(0);
		expect(JSON.parse(allowed.stdout).warnings.join('\n')).toMatch(/--files-only: .* is not in this backup/);
		expect(allowed.stdout + allowed.stderr).not.toContain('s3cret');
		expect(fs.existsSync(target)).toBe(true);
	}, 30_000);
}

/** Segment stores a copy of crx-quickstart does not hold, and MongoDB chosen by the JVM's options (the seed: the online backup works for the default, Tar storage based repository). */
const layouts: Array<[string, (quickstart: string, root: string) => void, RegExp]> = [
	['a segment store outside crx-quickstart', q => writeStorageConfig(q, 'install', {'org.apache.jackrabbit.oak.segment.SegmentNodeStoreService': {'repository.home': '/srv/aem-segments'}}),
		/^crx-backup: This AEM keeps its data in a segment store at \/srv\/aem-segments\/segmentstore, outside crx-quickstart, which a copy of crx-quickstart cannot capture .*: back that folder up on its own, and pass --files-only/],
	['no segment store at all', q => fs.rmSync(path.join(q, 'repository', 'segmentstore'), {recursive: true}),
		/^crx-backup: This AEM has no segment store at .*crx-quickstart\/repository\/segmentstore and no other node store configured, so a copy of crx-quickstart would hold no repository .*pass --files-only/],
	['MongoDB chosen by -Doak.mongo.uri in bin/start', q => fs.writeFileSync(path.join(q, 'bin', 'start'), '#!/bin/sh\nCQ_JVM_OPTS="-server -Doak.mongo.uri=mongodb://aem:s3cret@db:27017"\njava $CQ_JVM_OPTS -jar app.jar &\n'),
		/^crx-backup: This AEM keeps its data in MongoDB at mongodb:\/\/aem:\*\*\*@db:27017 \(-Doak\.mongo\.\* in crx-quickstart\/bin\/start\), .*mongodump/],
];

for (const [name, make, sentence] of layouts) {
	test(`${name}: backup refuses with exit 2 and one sentence, nothing written; --files-only backs up the files`, async () => {
		const root = faultDir('crx-layout-');
		const {install, quickstart} = makeInstall(root);
		make(quickstart, root);
		const env = stateEnv(root);
		// The state folder gets the refused run's record (status and --on-failure see it): nothing else is written.
		const before = treeDigest(root, {skipTop: ['state']});
		const target = path.join(root, 'night');
		const refused = await runCli(['backup', '--repo', install, '--target', target], {env});
		expect(refused.code, refused.stderr).toBe(2);
		expect(errorLines(refused)).toEqual([expect.stringMatching(sentence)]);
		expect(refused.stderr).not.toContain('s3cret');
		expect(treeDigest(root, {skipTop: ['state']})).toEqual(before);
		const allowed = await runCli(['backup', '--repo', install, '--target', target, '--files-only', '--json'], {env});
		expect(allowed.code, allowed.stderr).toBe(0);
		expect(fs.existsSync(path.join(target, 'crx-backup-manifest.jsonl'))).toBe(true);
	}, 30_000);
}
