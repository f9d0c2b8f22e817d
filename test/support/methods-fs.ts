/**
 * Real file systems for the --method tests (root only): a btrfs on a loop file,
 * with a subvolume holding an install, and a tiny tmpfs for ENOSPC targets.
 * Every mount is undone by dispose() (afterAll); `mount -o loop` sets the loop
 * device's autoclear flag, so the umount frees it too.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {tempDir} from './trees.js';

const run = (file: string, args: string[]) => execFileSync(file, args, {stdio: ['ignore', 'pipe', 'pipe']}).toString();

/** Why these tests cannot run here, or undefined when they can. */
export function methodsFsUnavailable(): string | undefined {
	if (process.getuid?.() !== 0) return 'not root: the btrfs loop file system and tmpfs mounts need root';
	try {
		run('mkfs.btrfs', ['--version']);
		run('btrfs', ['--version']);
	} catch {
		return 'btrfs-progs is not installed (mkfs.btrfs, btrfs)';
	}
	return undefined;
}

export interface Btrfs {
	/** Where the file system is mounted. */
	mount: string;
	/** Makes a subvolume at mount/name and returns its path. */
	subvolume(name: string): string;
	/** Names of the subvolumes below the mount (btrfs subvolume list), e.g. ['aem', '.crx-backup-snapshot-123']. */
	subvolumes(): string[];
	dispose(): void;
}

export function makeBtrfs(sizeMb = 512): Btrfs {
	const root = tempDir('crx-btrfs-');
	const image = path.join(root, 'btrfs.img');
	const mount = path.join(root, 'mnt');
	fs.mkdirSync(mount);
	fs.writeFileSync(image, '');
	fs.truncateSync(image, sizeMb * 1024 * 1024);
	run('mkfs.btrfs', ['-q', image]);
	run('mount', ['-o', 'loop', image, mount]);
	return {
		mount,
		subvolume(name) {
			run('btrfs', ['subvolume', 'create', path.join(mount, name)]);
			return path.join(mount, name);
		},
		subvolumes() {
			return run('btrfs', ['subvolume', 'list', mount]).split('\n').filter(Boolean).map(line => line.replace(/^.* path /, ''));
		},
		dispose() {
			try {
				run('umount', ['-l', mount]);
			} catch {}
			fs.rmSync(root, {recursive: true, force: true});
		},
	};
}

/** A tmpfs of `sizeKb` (a target that runs out of space), mounted on a new temp folder. */
export function makeTinyTmpfs(sizeKb: number): {dir: string; dispose(): void} {
	const dir = tempDir('crx-tmpfs-');
	run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
	return {
		dir,
		dispose() {
			try {
				run('umount', ['-l', dir]);
			} catch {}
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}
