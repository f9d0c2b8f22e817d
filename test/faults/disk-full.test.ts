import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli, type CliResult} from '../support/cli.js';
import {canMountTmpfs, errorLines, faultDir, listDir, mountTmpfs, randomInstall, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A full disk at the target, on a real 2 MiB tmpfs: the backup or restore fails
 * with exit 1 and one sentence about space, and leaves nothing that could pass
 * for a backup (zip) or a restored install.
 */
const mount = canMountTmpfs();
const KiB = 1024;

function expectSpaceFailure(result: CliResult): void {
	expect(result.code, result.stderr).toBe(1);
	const lines = errorLines(result);
	expect(lines, result.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/space/i);
	expect(result.stderr).not.toMatch(/\n\s+at /); // No stack trace without --debug.
}

describe.skipIf(!mount.ok)(`disk full (${mount.ok ? 'tmpfs' : `skipped: ${mount.reason}`})`, () => {
	const blobs = (count: number, size: number) => Array.from({length: count}, (_, i) => [`repository/datastore/blob${i}`, size * KiB] as [string, number]);
	const tars = (count: number, size: number) => Array.from({length: count}, (_, i) => [`repository/segmentstore/data0000${i}a.tar`, size * KiB] as [string, number]);
	// [what, target name, files, settle]: settled files (changed over two seconds ago) are copied once; fresh ones are copied again in stages 2-4.
	const cases: Array<[string, string, Array<[string, number]>, boolean]> = [
		// 3.6 MiB of incompressible segment store (staged; datastore blobs are not): the staging copy itself does not fit.
		['zip, the staging copy does not fit', 'night.zip', tars(6, 600), false],
		// 1.1 MiB of tar files staged once plus 1.1 MiB of datastore read straight into the zip: staging plus zip does not fit.
		['zip, the zip itself does not fit', 'night.zip', [...tars(4, 280), ...blobs(4, 280)], true],
		['directory, the first copy does not fit', 'night', blobs(6, 600), false],
		// 1.1 MiB of fresh files: the first copy fits, but stage 2 re-copies them beside the old copies and the disk fills
		// part-way through a write. write(2) then returns a short count, not an error: a copy that ignores it is cut short.
		['directory, the first copy fits but the re-copies of fresh files do not', 'night', blobs(4, 280), false],
	];
	for (const [what, name, files, settle] of cases) {
		test(`backup: ${what}`, async () => {
			const root = faultDir();
			const {install} = randomInstall(root, files);
			if (settle) await new Promise(resolve => setTimeout(resolve, 2100));
			const full = path.join(root, 'full');
			mountTmpfs(full, '2m');
			const before = treeDigest(install);
			// --force: past the up-front space check (test/faults/space-check.test.ts), onto the full disk itself.
			const result = await runCli(['backup', '--repo', install, '--target', path.join(full, name), '--json', '--force'], {env: stateEnv(root)});
			if (result.code === 0 && !name.endsWith('.zip')) {
				// Squeezing in is fine, if what was written is whole.
				const verified = await runCli(['verify', path.join(full, name)], {env: stateEnv(root)});
				expect(verified.code, `the backup exited 0 on a full disk but does not verify:\n${verified.stdout}`).toBe(0);
				return;
			}
			expectSpaceFailure(result);
			expect(result.stdout).toBe('');
			expect(treeDigest(install)).toEqual(before);
			if (name.endsWith('.zip')) {
				expect(fs.readdirSync(full)).toEqual([]); // No zip, no .partial, no staging folder.
			} else {
				// What was copied stays, marked: list calls it incomplete, and the next run re-syncs it.
				expect(fs.existsSync(path.join(full, name, 'backupInProgress.txt'))).toBe(true);
				expect((await listDir(full, stateEnv(root))).map(record => [record.name, record.status])).toEqual([[name, 'incomplete']]);
			}
			expect(fs.readdirSync(path.join(root, 'state')).filter(name => !name.endsWith('.last-run.json'))).toEqual([]); // The lock is released.
		});
	}

	for (const into of ['a new folder on the full disk', 'the (empty) mount point itself']) {
		test(`restore into ${into}: exit 1, nothing left`, async () => {
			const root = faultDir();
			const {install} = randomInstall(root, Array.from({length: 6}, (_, i) => [`repository/datastore/blob${i}`, 600 * KiB]));
			const zip = path.join(root, 'b.zip');
			expect((await runCli(['backup', '--repo', install, '--target', zip], {env: stateEnv(root)})).code).toBe(0);
			const full = path.join(root, 'full');
			mountTmpfs(full, '2m');
			const to = into.startsWith('a new') ? path.join(full, 'restored') : full;
			const result = await runCli(['restore', zip, '--to', to, '--json'], {env: stateEnv(root)});
			expectSpaceFailure(result);
			expect(fs.readdirSync(full)).toEqual([]);
			expect(fs.readdirSync(root).sort()).toEqual(['AEM', 'b.zip', 'full', 'state']); // No staging folder beside it either.
		});
	}

	test('restore into an empty mount point (a fresh volume) works: the staging folder must sit on the same file system', async () => {
		const root = faultDir();
		const {install, quickstart} = randomInstall(root, [['repository/datastore/a', 100 * KiB], ['conf/x.config', 2 * KiB]]);
		for (const name of ['b.zip', 'b']) {
			expect((await runCli(['backup', '--repo', install, '--target', path.join(root, name)], {env: stateEnv(root)})).code).toBe(0);
			const volume = path.join(root, `volume-${name}`);
			mountTmpfs(volume, '8m');
			const result = await runCli(['restore', path.join(root, name), '--to', volume, '--json'], {env: stateEnv(root)});
			expect(result.code, result.stderr).toBe(0);
			expect(treeDigest(path.join(volume, 'crx-quickstart'), {meta: false})).toEqual(treeDigest(quickstart, {meta: false, backupView: true}));
			expect(fs.readdirSync(volume)).toEqual(['.crx-restored', 'crx-quickstart']);
		}
	});
});
