import fs from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {throwIfAborted} from '../../platform/errors.js';
import {aemJvm, jvmAlive, type AemJvm} from './aem-jvm.js';

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

/**
 * Whether some process holds a lock on the segment store's repo.lock. Read from
 * /proc/locks, which lists flock(2) and POSIX locks alike (Oak's java.nio
 * FileLock is a POSIX lock), without opening the file. /proc/locks names a file
 * by its file system's device and inode, and inode numbers repeat across file
 * systems (and across btrfs subvolumes, which share one device there): another
 * AEM's repo.lock on another volume must not count, or the offline method waits
 * for an AEM that is down until its stop timeout. So a line whose inode matches
 * is checked against the holder's open files (the very file: device and inode as
 * stat() gives them), and where those cannot be read, against the device of the
 * mount that holds repo.lock.
 */
export function repoLockHeld(quickstart: string): boolean {
	const file = path.join(quickstart, 'repository/segmentstore/repo.lock');
	const stat = fs.statSync(file, {throwIfNoEntry: false});
	if (!stat) return false;
	let locks: string;
	try {
		locks = fs.readFileSync('/proc/locks', 'utf8');
	} catch {
		return false;
	}
	return locks.split('\n').some(line => {
		const fields = line.trim().split(/\s+/);
		const at = fields.findIndex(field => /^[0-9a-f]+:[0-9a-f]+:\d+$/.test(field));
		if (at < 0 || fields.includes('->')) return false; // '->': a waiter, not a holder.
		const [major, minor, inode] = fields[at]!.split(':');
		if (inode !== String(stat.ino)) return false;
		const holder = holdsOpen(Number(fields[at - 1]), stat);
		if (holder !== undefined) return holder;
		const device = mountDevice(file);
		return device === undefined || device === `${parseInt(major!, 16)}:${parseInt(minor!, 16)}`;
	});
}

/** Whether process `pid` has this very file open; undefined when its open files cannot be read. */
function holdsOpen(pid: number, file: fs.Stats): boolean | undefined {
	const dir = `/proc/${pid}/fd`;
	let fds: string[];
	try {
		fds = fs.readdirSync(dir);
	} catch {
		return undefined;
	}
	return fds.some(fd => {
		try {
			const open = fs.statSync(path.join(dir, fd));
			return open.dev === file.dev && open.ino === file.ino;
		} catch {
			return false; // Closed meanwhile, or not ours to read.
		}
	});
}

/** The major:minor (decimal) /proc/self/mountinfo gives the mount holding `file`, as /proc/locks names its device. */
function mountDevice(file: string): string | undefined {
	try {
		const real = fs.realpathSync(file);
		let best: {point: string; device: string} | undefined;
		for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
			const fields = line.split(' ');
			if (fields.length < 5) continue;
			const point = fields[4]!.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
			const inside = point === '/' || real === point || real.startsWith(`${point}/`);
			if (inside && (!best || point.length >= best.point.length)) best = {point, device: fields[2]!};
		}
		return best?.device;
	} catch {
		return undefined;
	}
}

/** AEM runs on this repository: conf/cq.pid names its java process (aem-jvm.ts), or repo.lock is held. */
export function aemRunning(quickstart: string): boolean {
	return aemJvm(quickstart) !== undefined || repoLockHeld(quickstart);
}

/**
 * Whether AEM is down: the JVM read before the stop (`jvm`) has exited, and
 * nothing runs on the repository. repo.lock alone is not enough: Oak releases it
 * in FileStore.close(), and the JVM lives on, still writing its logs, for a while.
 */
export function aemDown(quickstart: string, jvm: AemJvm | undefined): boolean {
	return !(jvm && jvmAlive(jvm)) && !aemRunning(quickstart);
}

/** Waits until AEM is down (aemDown); false when it is still up at `deadline`. Throws when cancelled. */
export async function waitUntilDown(quickstart: string, jvm: AemJvm | undefined, deadline: number, signal?: AbortSignal): Promise<boolean> {
	for (;;) {
		throwIfAborted(signal);
		if (aemDown(quickstart, jvm)) return true;
		if (Date.now() >= deadline) return false;
		await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
	}
}
