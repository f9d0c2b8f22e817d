import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {throwIfAborted} from '../../errors.js';

/**
 * Whether `pid` is a live process. A zombie is not: AEM started detached has
 * init as its parent, which may reap it only a moment later.
 */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	try {
		return !/\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return true;
	}
}

/** The pid AEM wrote into crx-quickstart/conf/cq.pid, if that process lives. */
function livePid(quickstart: string): number | undefined {
	try {
		const pid = Number(fs.readFileSync(path.join(quickstart, 'conf/cq.pid'), 'utf8').trim());
		return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Whether some process holds a lock on the segment store's repo.lock. Read from
 * /proc/locks, which lists flock(2) and POSIX locks alike (Oak's java.nio
 * FileLock is a POSIX lock), without opening the file. Matched by inode number
 * only: btrfs reports a per-subvolume device in stat() but the superblock's in
 * /proc/locks, and a false match only makes the wait longer, never shorter.
 */
function repoLockHeld(quickstart: string): boolean {
	const stat = fs.statSync(path.join(quickstart, 'repository/segmentstore/repo.lock'), {throwIfNoEntry: false});
	if (!stat) return false;
	try {
		return fs.readFileSync('/proc/locks', 'utf8').split('\n').some(line => {
			const fields = line.trim().split(/\s+/);
			const at = fields.findIndex(field => /^[0-9a-f]+:[0-9a-f]+:\d+$/.test(field));
			return at >= 0 && fields[at]!.split(':')[2] === String(stat.ino) && !fields.includes('->'); // '->': a waiter, not a holder.
		});
	} catch {
		return false;
	}
}

/** AEM runs on this repository: the pid in conf/cq.pid lives, or repo.lock is held. */
export function aemRunning(quickstart: string): boolean {
	return livePid(quickstart) !== undefined || repoLockHeld(quickstart);
}

/** Waits until AEM is down; false when it is still up at `deadline`. Throws when cancelled. */
export async function waitUntilDown(quickstart: string, deadline: number, signal?: AbortSignal): Promise<boolean> {
	for (;;) {
		throwIfAborted(signal);
		if (!aemRunning(quickstart)) return true;
		if (Date.now() >= deadline) return false;
		await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
	}
}
