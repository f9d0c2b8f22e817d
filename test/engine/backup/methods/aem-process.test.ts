import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {aemRunning} from '../../../../source/engine/backup/methods/aem-process.js';
import {makeBtrfs, methodsFsUnavailable, type Btrfs} from '../../../support/methods-fs.js';

/**
 * Whether AEM runs is read from repo.lock's holders in /proc/locks, which names a
 * file by device and inode. Two installs in two btrfs subvolumes of one file
 * system (author and publish, say) share the device there and, made alike, the
 * inode numbers: the running one's lock made the stopped one look running, so an
 * offline backup of it waited out its whole stop timeout and aborted.
 */
const skip = methodsFsUnavailable();
let btrfs: Btrfs | undefined;
let holder: ChildProcess | undefined;

/** An install's crx-quickstart with a segment store's repo.lock, made in the same order each time. */
function makeQuickstart(root: string): string {
	const quickstart = path.join(root, 'crx-quickstart');
	fs.mkdirSync(path.join(quickstart, 'repository/segmentstore'), {recursive: true});
	fs.writeFileSync(path.join(quickstart, 'repository/segmentstore/repo.lock'), '');
	return quickstart;
}

/** Holds repo.lock as the fake AEM does (flock, as Oak holds its FileLock): resolves once it is held. */
async function holdLock(quickstart: string): Promise<ChildProcess> {
	const child = spawn('flock', ['-n', '-x', path.join(quickstart, 'repository/segmentstore/repo.lock'), '-c', 'echo locked; exec cat >/dev/null'], {stdio: ['pipe', 'pipe', 'inherit']});
	await new Promise<void>((resolve, reject) => {
		child.stdout!.once('data', () => resolve());
		child.once('exit', () => reject(new Error('flock did not take the lock')));
	});
	return child;
}

beforeAll(() => {
	if (!skip) btrfs = makeBtrfs(256);
});
afterAll(() => {
	holder?.stdin?.end();
	btrfs?.dispose();
});

describe.skipIf(skip !== undefined)(skip ?? 'aemRunning: whose repo.lock is held', () => {
	it('a running AEM in one btrfs subvolume does not make a stopped one beside it look running', async () => {
		const author = makeQuickstart(btrfs!.subvolume('author'));
		const publish = makeQuickstart(btrfs!.subvolume('publish'));
		const lockOf = (quickstart: string) => fs.statSync(path.join(quickstart, 'repository/segmentstore/repo.lock'));
		// The case itself: same inode number, one device in /proc/locks.
		expect(lockOf(author).ino).toBe(lockOf(publish).ino);
		expect(aemRunning(author)).toBe(false);
		holder = await holdLock(author);
		expect(aemRunning(author)).toBe(true);
		expect(aemRunning(publish)).toBe(false);
		const exited = new Promise(resolve => holder!.once('exit', resolve));
		holder.stdin!.end();
		await exited;
		expect(aemRunning(author)).toBe(false);
	});
});
