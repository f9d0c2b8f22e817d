import fs from 'node:fs';
import path from 'node:path';

/**
 * AEM's JVM as conf/cq.pid names it. cq.pid is untrusted: anyone who can write
 * conf/ can put a FIFO there (a plain read blocks forever), a link to /dev/zero
 * (a plain read never ends), or `1` (init is always alive: AEM would look
 * running forever). So it is opened without following a link and without
 * blocking, must be a regular file, is read to at most 64 bytes, and the pid
 * counts only when it is a `java` process working in this install (AEM's
 * bin/start changes to the install folder before it starts java).
 */
export interface AemJvm {
	pid: number;
	/** /proc/<pid>/stat's start time: a pid reused by another process after AEM exited is not AEM. */
	startTicks: string;
}

const MAX_PID_FILE = 64;

/** The number in conf/cq.pid, or undefined when it is missing, not a regular file, too long or not a pid. */
export function readCqPid(quickstart: string): number | undefined {
	let fd: number;
	try {
		fd = fs.openSync(path.join(quickstart, 'conf/cq.pid'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
	} catch {
		return undefined;
	}
	try {
		const stat = fs.fstatSync(fd);
		if (!stat.isFile() || stat.size > MAX_PID_FILE) return undefined;
		const buffer = Buffer.alloc(MAX_PID_FILE + 1);
		const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
		if (read > MAX_PID_FILE) return undefined;
		const text = /^\s*(\d{1,9})\s*$/.exec(buffer.subarray(0, read).toString('latin1'))?.[1];
		const pid = Number(text);
		return text !== undefined && pid > 1 ? pid : undefined;
	} catch {
		return undefined;
	} finally {
		fs.closeSync(fd);
	}
}

/** State and start time from /proc/<pid>/stat (fields 3 and 22), or undefined when the process is gone. */
function procStat(pid: number): {state: string; startTicks: string} | undefined {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)\s+/s, '').split(' ');
		return {state: fields[0]!, startTicks: fields[19]!};
	} catch {
		return undefined;
	}
}

/**
 * Whether `pid` runs java (its comm, or its argv[0]'s name) with this install as its working folder, as the
 * install's owner or root: AEM writes crx-quickstart, so its JVM runs as the user who owns it. Another user can
 * run a program named java from inside an install anyone may enter, and get the pid a stale cq.pid names (pids
 * are recycled): taken for AEM, it would make a backup stop and start an AEM the operator had stopped.
 */
function isJavaIn(pid: number, quickstart: string): boolean {
	try {
		const uid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
		const owner = fs.statSync(quickstart).uid;
		if (!Number.isInteger(uid) || (uid !== owner && uid !== 0)) return false;
		const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
		const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
		if (comm !== 'java' && path.basename(argv0) !== 'java') return false;
		const cwd = fs.realpathSync(`/proc/${pid}/cwd`);
		const real = fs.realpathSync(quickstart);
		return cwd === path.dirname(real) || cwd === real;
	} catch {
		return false; // Gone, or not ours to inspect: not proven to be this AEM.
	}
}

/** AEM's running JVM as cq.pid names it, checked; undefined when cq.pid names none. */
export function aemJvm(quickstart: string): AemJvm | undefined {
	const pid = readCqPid(quickstart);
	if (pid === undefined) return undefined;
	const stat = procStat(pid);
	if (!stat || stat.state === 'Z' || !isJavaIn(pid, quickstart)) return undefined;
	return {pid, startTicks: stat.startTicks};
}

/** Whether that very process still lives (an exited one awaiting its reaper does not). */
export function jvmAlive(jvm: AemJvm): boolean {
	const stat = procStat(jvm.pid);
	return stat !== undefined && stat.state !== 'Z' && stat.startTicks === jvm.startTicks;
}
