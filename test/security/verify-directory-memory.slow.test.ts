import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, runCliMeasured, stateEnv} from '../support/faults.js';

/**
 * Verify of a directory backup held a set of every name
 * (260 MiB at 200,000 files). It now merges the manifest with a sorted walk, so
 * its peak follows the tree's depth and widest folder, not its file count.
 */
const FILES = 150_000;

test(`verify of a ${FILES.toLocaleString('en')}-file directory backup stays well under 150 MiB`, async () => {
	const root = faultDir('crx-verify-rss-');
	const {install, quickstart} = makeInstall(root);
	// Deep names (about 120 bytes each) in folders of 500: what a set of names paid for.
	for (let index = 0; index < FILES; index++) {
		const dir = path.join(quickstart, 'repository', 'datastore', `bucket-${String(Math.floor(index / 500)).padStart(4, '0')}`, 'aa'.repeat(20));
		if (index % 500 === 0) fs.mkdirSync(dir, {recursive: true});
		fs.writeFileSync(path.join(dir, `blob-${String(index).padStart(8, '0')}-${'b'.repeat(40)}`), '');
	}
	const env = stateEnv(root);
	const backup = path.join(root, 'night');
	expect((await runCli(['backup', '--repo', install, '--target', backup], {env})).code).toBe(0);
	const verified = await runCliMeasured(['verify', backup], {env});
	expect(verified.code, verified.stdout).toBe(0);
	console.log(`verify peak RSS: ${Math.round(verified.peakRssKiB / 1024)} MiB`);
	expect(verified.peakRssKiB / 1024).toBeLessThan(110);
});
