import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A symlink already in the place we write can send the bytes elsewhere: into
 * another install, /etc, a mount. Neither restore nor a re-sync ever writes
 * through one. (Deleting a backup that holds a link: test/engine/catalog.test.ts.)
 */

/** A folder elsewhere with something precious in it, and its digest to check it is untouched. */
function elsewhere(root: string) {
	const dir = path.join(root, 'elsewhere');
	fs.mkdirSync(dir);
	fs.writeFileSync(path.join(dir, 'precious.txt'), 'do not touch');
	const before = treeDigest(dir);
	return {dir, untouched: () => expect(treeDigest(dir)).toEqual(before)};
}

test('restore refuses --to a symlink (to an empty folder, or dangling) and writes nothing through it', async () => {
	const root = faultDir();
	const {install} = makeInstall(root);
	const zip = path.join(root, 'b.zip');
	expect((await runCli(['backup', '--repo', install, '--target', zip], {env: stateEnv(root)})).code).toBe(0);
	const empty = path.join(root, 'empty-elsewhere');
	fs.mkdirSync(empty);
	fs.symlinkSync(empty, path.join(root, 'link-to-empty'));
	fs.symlinkSync(path.join(root, 'not-there'), path.join(root, 'dangling'));
	for (const link of ['link-to-empty', 'dangling']) {
		const result = await runCli(['restore', zip, '--to', path.join(root, link)], {env: stateEnv(root)});
		expect(result.code, link).toBe(2);
		expect(result.stderr).toMatch(/not a folder/);
	}
	expect(fs.readdirSync(empty)).toEqual([]);
	expect(fs.existsSync(path.join(root, 'not-there'))).toBe(false);
	expect(fs.readdirSync(root).filter(name => name.includes('restoring'))).toEqual([]);
});

test('a symlink planted in the (empty) restore folder while the restore runs is never written through', async () => {
	const root = faultDir();
	const install = path.join(root, 'AEM');
	await generateRepository(install, {sizeBytes: 40 * 1024 * 1024, seed: 3});
	const zip = path.join(root, 'b.zip');
	expect((await runCli(['backup', '--repo', install, '--target', zip], {env: stateEnv(root)})).code).toBe(0);
	const {dir, untouched} = elsewhere(root);
	const to = path.join(root, 'to');
	fs.mkdirSync(to);
	const job = startCli(['restore', zip, '--to', to], {env: stateEnv(root)});
	// Someone (or something) makes to/crx-quickstart a link to elsewhere once the restore has checked that `to` is empty.
	await waitFor(() => fs.readdirSync(to).length > 0 || fs.readdirSync(root).some(name => name.endsWith('.restoring')), 30_000, 'the restore to start writing');
	fs.symlinkSync(dir, path.join(to, 'crx-quickstart'));
	const result = await job.done;
	untouched();
	expect(fs.readlinkSync(path.join(to, 'crx-quickstart'))).toBe(dir);
	expect(result.code).toBe(1);
	expect(fs.readdirSync(to)).toEqual(['crx-quickstart']); // Our staging folder is gone again.
});

/** A directory backup of a small install, made once, and a folder elsewhere. */
async function resyncSetUp() {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root);
	const target = path.join(root, 'night');
	const env = stateEnv(root);
	expect((await runCli(['backup', '--repo', install, '--target', target], {env})).code).toBe(0);
	const outside = elsewhere(root);
	fs.writeFileSync(path.join(outside.dir, 'sling.properties'), 'not the backup\'s');
	const before = treeDigest(outside.dir);
	const resync = async () => runCli(['backup', '--repo', install, '--target', target], {env});
	return {install, quickstart, copy: path.join(target, 'crx-quickstart'), dir: outside.dir, untouched: () => expect(treeDigest(outside.dir)).toEqual(before), resync};
}

test('a directory re-sync never writes through links found inside the target tree: a folder, a file', async () => {
	const {quickstart, copy, dir, untouched, resync} = await resyncSetUp();
	fs.rmSync(path.join(copy, 'logs'), {recursive: true});
	fs.symlinkSync(dir, path.join(copy, 'logs'));
	fs.rmSync(path.join(copy, 'conf/sling.properties'));
	fs.symlinkSync(path.join(dir, 'sling.properties'), path.join(copy, 'conf/sling.properties'));
	fs.appendFileSync(path.join(quickstart, 'conf/sling.properties'), 'changed\n');
	const result = await resync();
	expect(result.code, result.stderr).toBe(0);
	untouched();
	expect(fs.lstatSync(path.join(copy, 'logs')).isDirectory()).toBe(true);
	expect(treeDigest(copy, {meta: false})).toEqual(treeDigest(quickstart, {meta: false, backupView: true}));
});

// Regression: the re-sync followed the link, copied the whole repository into the link's target and pruned
// what was there (precious.txt was deleted), then exited 0.
test('a directory re-sync never writes through <target>/crx-quickstart when that is a link to a folder elsewhere', async () => {
	const {copy, dir, untouched, resync} = await resyncSetUp();
	fs.rmSync(copy, {recursive: true});
	fs.symlinkSync(dir, copy);
	const result = await resync();
	untouched();
	// Refusing is fine, and so is replacing the link with a real folder.
	if (result.code === 0) expect(fs.lstatSync(copy).isDirectory()).toBe(true);
});
