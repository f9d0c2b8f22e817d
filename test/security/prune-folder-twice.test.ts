import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * The backup folder named two ways (a link to it passed as --dir, and the target in its real folder) is
 * one folder: listed once. Listed twice, each backup was two: --keep-last 1 kept one of the two names of
 * the newest backup and deleted the other, which was the newest backup.
 */
test('prune through two names of one folder keeps what its rules say, the backup just made included', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const disk = path.join(root, 'disk');
	fs.mkdirSync(disk, {mode: 0o700});
	const linked = path.join(root, 'backups');
	fs.symlinkSync(disk, linked);
	const at = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
	const zips = () => fs.readdirSync(disk).sort();
	for (const day of ['01', '02', '03']) {
		const made = await runCli(['backup', '--repo', install, '--target', path.join(disk, `n${day}.zip`)], {env: at(`2026-10-${day}T02:00:00Z`)});
		expect(made.code, made.stderr).toBe(0);
	}

	const nightly = await runCli(['backup', '--repo', install, '--target', path.join(disk, 'n04.zip'), '--dir', linked, '--keep-last', '2'], {env: at('2026-10-04T02:00:00Z')});
	expect(nightly.code, nightly.stderr).toBe(0);
	expect(zips()).toEqual(['n03.zip', 'n04.zip']);

	const pruned = await runCli(['prune', '--repo', install, '--dir', disk, '--dir', linked, '--keep-last', '1'], {env: at('2026-10-04T03:00:00Z')});
	expect(pruned.code, pruned.stderr).toBe(0);
	expect(zips()).toEqual(['n04.zip']);

	// A clock three minutes fast made n05; corrected, the next run makes n06 earlier by the clock. Only
	// "just made" keeps n06 from --keep-last 1, and the target names it through the link, --dir by the real folder.
	expect((await runCli(['backup', '--repo', install, '--target', path.join(disk, 'n05.zip')], {env: at('2026-10-05T02:04:00Z')})).code).toBe(0);
	const corrected = await runCli(['backup', '--repo', install, '--target', path.join(linked, 'n06.zip'), '--dir', disk, '--keep-last', '1'], {env: at('2026-10-05T02:01:00Z')});
	expect(corrected.code, corrected.stderr).toBe(0);
	expect(corrected.stdout).toMatch(/^keep .* n06\.zip {2}\(just made\)$/m);
	expect(zips()).toEqual(['n05.zip', 'n06.zip']);
});
