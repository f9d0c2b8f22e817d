/**
 * A killed snapshot backup leaves `.crx-backup-snapshot-<pid>`, which the next
 * run deletes as root. Whoever can swap that name for a link between the check
 * and `btrfs subvolume delete` would have root delete the subvolume of their
 * choice. The leftover is deleted by the subvolume id read from an open handle,
 * and a snapshot folder others can write is refused. Real btrfs on a loop file.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli} from '../support/cli.js';
import {makeBtrfs, methodsFsUnavailable, type Btrfs} from '../support/methods-fs.js';
import {tempDir} from '../support/trees.js';

const unavailable = methodsFsUnavailable();
const LEFT = '.crx-backup-snapshot-3999999'; // A pid no process has: a killed run's leftover.

describe.skipIf(unavailable)(unavailable ?? 'btrfs leftover snapshots', () => {
	let btrfs: Btrfs;
	let install: string;
	let outside: string;
	let shims: string;

	beforeAll(async () => {
		btrfs = makeBtrfs();
		install = btrfs.subvolume('aem');
		await generateRepository(install, {sizeBytes: 256 * 1024, seed: 2});
		outside = tempDir('crx-btrfs-leftover-');
		// The other user winning the race, played by a btrfs wrapper: just before btrfs acts on the leftover
		// (asked its id, or deleted by name), the name becomes a link to the victim.
		shims = path.join(outside, 'bin');
		fs.mkdirSync(shims);
		const real = execFileSync('sh', ['-c', 'command -v btrfs']).toString().trim();
		const left = path.join(btrfs.mount, LEFT);
		fs.writeFileSync(path.join(shims, 'btrfs'), `#!/bin/sh
case "$1 $2" in
"inspect-internal rootid"|"subvolume delete")
	if [ -d "${left}" ] && [ ! -L "${left}" ]; then mv "${left}" "${btrfs.mount}/moved-away" && ln -s "${btrfs.mount}/victim" "${left}"; fi;;
esac
exec ${real} "$@"
`, {mode: 0o755});
	});
	afterAll(() => {
		btrfs?.dispose();
		fs.rmSync(outside, {recursive: true, force: true});
	});

	const plant = () => {
		const victim = btrfs.subvolume('victim');
		fs.writeFileSync(path.join(victim, 'precious'), 'keep me\n');
		btrfs.subvolume(LEFT);
	};
	const cleanUp = () => {
		for (const name of ['victim', 'moved-away', LEFT]) {
			const at = path.join(btrfs.mount, name);
			const stat = fs.lstatSync(at, {throwIfNoEntry: false});
			if (stat?.isSymbolicLink()) fs.rmSync(at);
			else if (stat) execFileSync('btrfs', ['subvolume', 'delete', at], {stdio: 'ignore'});
		}
	};

	it('a leftover swapped for a link mid-cleanup: the victim subvolume survives, the leftover itself is deleted', async () => {
		plant();
		try {
			const result = await runCli(['backup', '--repo', install, '--target', path.join(outside, 'b'), '--method', 'snapshot', '--json'],
				{env: {PATH: `${shims}:${process.env.PATH}`}});
			expect(result.stderr).not.toMatch(/crx-backup:/);
			expect(result.code).toBe(0);
			expect(fs.readFileSync(path.join(btrfs.mount, 'victim/precious'), 'utf8')).toBe('keep me\n');
			// The subvolume crx-backup opened and identified is the one deleted, wherever its name went.
			expect(btrfs.subvolumes()).not.toContain('moved-away');
			expect(btrfs.subvolumes().filter(name => name.startsWith('.crx-backup-snapshot'))).toEqual([]);
		} finally {
			cleanUp();
		}
	}, 60_000);

	it('a snapshot folder other users can write is refused (exit 2), nothing in it touched', async () => {
		plant();
		fs.chmodSync(btrfs.mount, 0o1777);
		const target = path.join(outside, 'refused');
		try {
			const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'snapshot']);
			expect(result.code).toBe(2);
			expect(result.stderr).toBe(`crx-backup: The btrfs snapshot would go into ${btrfs.mount}, which other users can write: someone could swap the snapshot for a link there; make it writable by its owner only, or use --snapshot-cmd.\n`);
			expect(fs.existsSync(target)).toBe(false);
			expect(btrfs.subvolumes()).toEqual(expect.arrayContaining(['victim', LEFT]));
		} finally {
			fs.chmodSync(btrfs.mount, 0o755);
			cleanUp();
		}
	}, 60_000);

	it('a folder above the snapshot folder that other users can write (not sticky) is refused: they could swap the snapshot folder itself', async () => {
		plant();
		const above = path.dirname(btrfs.mount);
		const mode = fs.statSync(above).mode & 0o7777;
		fs.chmodSync(above, 0o777);
		const target = path.join(outside, 'refused-above');
		try {
			const result = await runCli(['backup', '--repo', install, '--target', target, '--method', 'snapshot']);
			expect(result.code).toBe(2);
			expect(result.stderr).toBe(`crx-backup: ${above} is writable by other users (mode 777), who could redirect the btrfs snapshot: remove their write permission or choose another place.\n`);
			expect(fs.existsSync(target)).toBe(false);
			expect(btrfs.subvolumes()).toEqual(expect.arrayContaining(['victim', LEFT]));
		} finally {
			fs.chmodSync(above, mode);
			cleanUp();
		}
	}, 60_000);
});
