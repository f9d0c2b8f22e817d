import fs from 'node:fs';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {engine} from '../../source/engine/index.js';
import {renderAt, stripAnsi, waitForFrame, type Rendered} from '../support/render.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {addExternalDatastore, writeStorageConfig} from '../../source/demo/external-datastore.js';

/** Home shows where nodes and binaries live, read by the real engine from a real install. */
let rendered: Rendered | undefined;
afterEach(() => rendered?.unmount());

async function home(quickstart: string): Promise<string> {
	const repository = await engine.resolveRepository(quickstart);
	const r = (rendered = renderAt(<App engine={engine} repository={repository} />, {columns: 80, rows: 24}));
	await waitForFrame(r, 'Binaries', 20_000);
	return stripAnsi(r.lastFrame());
}

test('Home shows an external datastore with its path and size', async () => {
	const root = fs.realpathSync(tempDir('crx-home-'));
	const {quickstart} = makeInstall(root);
	addExternalDatastore(quickstart, path.join(root, 'ds'), {records: 2});
	const frame = await home(quickstart);
	expect(frame).toMatch(/Storage\s+segment store \(TarMK\)/);
	expect(frame).toMatch(new RegExp(`Binaries\\s+external datastore ${root}/ds, [\\d.]+ KiB`));
	fs.rmSync(root, {recursive: true});
}, 30_000);

test('Home warns about storage no backup captures, and about an external datastore it cannot reach', async () => {
	const root = fs.realpathSync(tempDir('crx-home-'));
	const {quickstart} = makeInstall(root);
	writeStorageConfig(quickstart, 'install', {'org.apache.jackrabbit.oak.plugins.blob.datastore.S3DataStore': {s3Bucket: 'b'}});
	expect(await home(quickstart)).toMatch(/⚠ Amazon S3 \(S3DataStore\): not captured by a backup/);
	rendered?.unmount();
	fs.rmSync(path.join(quickstart, 'install'), {recursive: true});
	addExternalDatastore(quickstart, path.join(root, 'gone'), {records: 1, place: 'launchpad'});
	fs.rmSync(path.join(root, 'gone'), {recursive: true});
	expect(await home(quickstart)).toMatch(new RegExp(`⚠ The external datastore ${root}/gone cannot be reached`));
	fs.rmSync(root, {recursive: true});
}, 30_000);
