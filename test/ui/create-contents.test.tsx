import fs from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {engine} from '../../source/engine/index.js';
import {bytes} from '../../source/words/format.js';
import {renderAt, sendAndWait, stripAnsi, tooWide, waitForFrame, type Rendered} from '../support/render.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {addExternalDatastore, writeStorageConfig} from '../../source/demo/external-datastore.js';

/**
 * Before Enter, Create Backup says what the backup will hold
 * (crx-quickstart, and the external datastore beside it with its size and path)
 * and every storage warning, read by the real engine from a real install, at 80×24.
 */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

async function createForm(quickstart: string, waitFor: string): Promise<string> {
	const repository = await engine.resolveRepository(quickstart);
	const r = (rendered = renderAt(<App engine={engine} repository={repository} />, {columns: 80, rows: 24}));
	await waitForFrame(r, 'Binaries', 20_000);
	const frame = stripAnsi(await sendAndWait(r, 'c', frame => stripAnsi(frame).includes(waitFor), 20_000));
	expect(tooWide(frame, 80)).toEqual([]);
	return frame;
}

test('Create Backup shows crx-quickstart and the external datastore it will hold, with its size and path', async () => {
	const root = fs.realpathSync(tempDir('c-'));
	const {quickstart} = makeInstall(root);
	const records = addExternalDatastore(quickstart, path.join(root, 'ds'), {records: 4});
	const dsBytes = records.reduce((sum, rel) => sum + fs.statSync(path.join(root, 'ds', rel)).size, 0);
	const frame = await createForm(quickstart, 'Holds');
	const line = frame.split('\n').find(row => row.includes('Holds'))!;
	expect(line).toMatch(/Holds\s+crx-quickstart [\d.]+ KiB \+ datastore /);
	expect(line).toContain(`+ datastore ${bytes(dsBytes)} from ${root}/ds`);
	fs.rmSync(root, {recursive: true});
}, 30_000);

test('Create Backup shows the storage refusal before Enter (S3: not captured by a file backup)', async () => {
	const root = fs.realpathSync(tempDir('c-'));
	const {quickstart} = makeInstall(root);
	writeStorageConfig(quickstart, 'install', {'org.apache.jackrabbit.oak.plugins.blob.datastore.S3DataStore': {s3Bucket: 'b'}});
	const frame = await createForm(quickstart, 'Disk space');
	expect(frame).toMatch(/✖ This AEM keeps its data in Amazon S3 \(S3DataStore\), which a copy of/);
	expect(frame).not.toContain('ready: Enter starts');
	fs.rmSync(root, {recursive: true});
}, 30_000);
