import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {errorLines, faultDir, stateEnv, treeDigest} from '../support/faults.js';
import {writeStorageConfig, type ConfigPlace} from '../../fixtures/external-datastore.js';

/**
 * Issue 18, part 1: storage no file copy captures (MongoDB, S3, Azure) is
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
		const before = treeDigest(root);
		const target = path.join(root, 'night.zip');
		const refused = await runCli(['backup', '--repo', install, '--target', target], {env});
		expect(refused.code, refused.stderr).toBe(2);
		const lines = errorLines(refused);
		expect(lines, refused.stderr).toHaveLength(1);
		expect(lines[0]).toMatch(sentence);
		expect(lines[0]).toMatch(/--files-only/);
		expect(refused.stderr + refused.stdout).not.toContain('s3cret');
		expect(treeDigest(root)).toEqual(before);

		const allowed = await runCli(['backup', '--repo', install, '--target', target, '--files-only', '--json'], {env});
		expect(allowed.code, allowed.stderr).toBe(0);
		expect(JSON.parse(allowed.stdout).warnings.join('\n')).toMatch(/--files-only: .* is not in this backup/);
		expect(allowed.stdout + allowed.stderr).not.toContain('s3cret');
		expect(fs.existsSync(target)).toBe(true);
	}, 30_000);
}
