import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli, type CliResult} from '../support/cli.js';
import {canMountTmpfs, faultDir, mountTmpfs, randomInstall, stateEnv, treeDigest} from '../support/faults.js';

/**
 * Not enough space at the target was only a warning (estimate
 * exited 0, backup started anyway). Now both refuse up front with exit 2 and one
 * sentence naming the bytes needed and free, writing nothing, unless --force.
 */
const mount = canMountTmpfs();
const KiB = 1024;
const blobs = (count: number, size: number) => Array.from({length: count}, (_, i) => [`repository/datastore/blob${i}`, size * KiB] as [string, number]);

function expectRefused(result: CliResult, needed: number, free: number): void {
	expect(result.code, result.stderr).toBe(2);
	const lines = result.stderr.trim().split('\n');
	expect(lines, result.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^crx-backup: Not enough space/);
	expect(lines[0]).toContain(`${needed} bytes`);
	// The backup checks after writing its marker and count files (a few KiB): free as it then was.
	const said = Number(/, [\d.]+ MiB free \((\d+) bytes\)/.exec(lines[0]!)?.[1]);
	expect(said).toBeLessThanOrEqual(free);
	expect(said).toBeGreaterThan(free - 256 * KiB);
}

const freeOn = (dir: string) => {
	const stats = fs.statfsSync(dir);
	return stats.bavail * stats.bsize;
};

describe.skipIf(!mount.ok)(`space is checked before anything is written (${mount.ok ? 'tmpfs' : `skipped: ${mount.reason}`})`, () => {
	for (const name of ['night', 'night.zip']) {
		test(`backup and estimate refuse a ${name.endsWith('.zip') ? 'zip' : 'directory'} backup that cannot fit; --force starts it (and the full disk fails it)`, async () => {
			const root = faultDir();
			const {install, quickstart} = randomInstall(root, blobs(6, 600));
			const full = path.join(root, 'full');
			mountTmpfs(full, '2m');
			const repositoryBytes = 6 * 600 * KiB;
			const needed = name.endsWith('.zip') ? 2 * repositoryBytes : repositoryBytes;
			const free = freeOn(full);
			const before = treeDigest(install);
			const target = path.join(full, name);

			const estimate = await runCli(['estimate', '--repo', install, '--target', target], {env: stateEnv(root)});
			expectRefused(estimate, needed, free);
			expect(estimate.stderr).toContain(`(${free} bytes)`);
			expect(estimate.stdout).toMatch(/✖ Not enough space/);

			const refused = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
			expectRefused(refused, needed, free);
			expect(fs.readdirSync(full)).toEqual([]);
			// Nothing but the refused run's record (status reports it as a failed night).
			expect(fs.readdirSync(path.join(root, 'state')).filter(name => !name.endsWith('.last-run.json'))).toEqual([]);

			const forced = await runCli(['backup', '--repo', install, '--target', target, '--force'], {env: stateEnv(root)});
			expect(forced.code, forced.stderr).toBe(1);
			expect(forced.stderr).toMatch(/^crx-backup: No space left/m);
			expect(treeDigest(install)).toEqual(before);
			expect(quickstart).toBeTruthy();
		});
	}

	test('a re-sync needs only what the backup does not hold yet; refused, the complete backup is left exactly as it was', async () => {
		const root = faultDir();
		const {install, quickstart} = randomInstall(root, blobs(2, 600));
		const disk = path.join(root, 'disk');
		mountTmpfs(disk, '4m');
		const target = path.join(disk, 'night');
		expect((await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)})).code).toBe(0);
		// 1.2 MiB held, 2.8 MiB free: adding 0.6 MiB fits (a re-sync copies what changed), adding 3.6 MiB does not.
		fs.writeFileSync(path.join(quickstart, 'repository/datastore/blob2'), Buffer.alloc(600 * KiB, 1));
		const fits = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
		expect(fits.code, fits.stderr).toBe(0);
		for (let i = 3; i < 9; i++) fs.writeFileSync(path.join(quickstart, `repository/datastore/blob${i}`), Buffer.alloc(600 * KiB, i));
		const backup = treeDigest(target);
		const result = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
		expect(result.code, result.stderr).toBe(2);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/^crx-backup: Not enough space at the target: 3\.5 MiB needed \(3686400 bytes\)/);
		expect(treeDigest(target)).toEqual(backup); // Manifest back in place, no marker, nothing copied.
		expect(fs.existsSync(path.join(target, 'backupInProgress.txt'))).toBe(false);
	});
});
