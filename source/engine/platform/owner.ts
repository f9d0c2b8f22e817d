import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {clockNow} from './clock.js';

/**
 * Who owns a running backup: written into backupInProgress.txt, the staging
 * folder's marker and the repository lock, so that `list` can tell a running
 * backup from the wreck of a dead one, and a stale lock can be taken over.
 */
export interface OwnerInfo {
	pid: number;
	host: string;
	/** The process's start time in clock ticks since boot (Linux), to tell a reused pid apart. */
	procStart?: string;
	startedAt: string;
	source?: string;
	target?: string;
	/**
	 * Set when the backup stopped (cancelled or failed) and left its marker, so the
	 * folder never looks complete: the record then owns nothing, and `list` says
	 * incomplete, not running, though the process that wrote it (the TUI) lives on.
	 */
	stoppedAt?: string;
}

function processStart(pid: number): string | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Field 22 (starttime); the command name in field 2 may hold spaces, so count after its ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return fields[19];
	} catch {
		return undefined;
	}
}

export function currentOwner(extra: {source?: string; target?: string} = {}): OwnerInfo {
	return {pid: process.pid, host: os.hostname(), procStart: processStart(process.pid), startedAt: clockNow().toISOString(), ...extra};
}

/**
 * True while the process that wrote `owner` still runs on this host and is a
 * crx-backup process. A record is only a claim, and it may sit in a folder
 * someone else can write (a backup folder): a pid that is gone, that now
 * belongs to a process started at another time (pid reuse), or that runs
 * anything but crx-backup (pid 1, someone's `sleep`) holds nothing, so its
 * lock is taken over and its staging folder is a leftover. Where /proc cannot
 * tell (another system, a hidden process) it is assumed to live: never remove
 * what may be in use.
 */
export function isOwnerAlive(owner: OwnerInfo | undefined): boolean {
	const pid = owner?.pid;
	if (!owner || typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid < 1 || owner.stoppedAt) return false;
	if (owner.host && owner.host !== os.hostname()) return true; // Cannot tell from here: assume it lives.
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	const start = processStart(pid);
	if (owner.procStart && start && start !== owner.procStart) return false;
	if (pid === process.pid) return true;
	const command = commandLine(pid);
	return command === undefined || isCrxBackupCommand(command, pid);
}

/** The process's arguments, or undefined where /proc cannot say. A zombie's (or kernel thread's) are empty. */
function commandLine(pid: number): string[] | undefined {
	try {
		const text = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
		return text.split('\0').filter(Boolean);
	} catch {
		return undefined;
	}
}

/**
 * crx-backup runs as `crx-backup …` (the npm bin, or a title set with exec -a)
 * or as `node [flags] …/dist/cli.js …`, the script of a package named crx-backup.
 * Only the program and the script are looked at, never the arguments, so
 * `ls /backups/crx-backup` is not taken for one.
 */
function isCrxBackupCommand(argv: string[], pid: number): boolean {
	const script = argv.slice(1).find(arg => !arg.startsWith('-'));
	if ([argv[0], script].some(arg => arg !== undefined && path.basename(arg) === 'crx-backup')) return true;
	return script !== undefined && packageOf(script, pid) === 'crx-backup';
}

/** The name in the package.json above a script's folder; for a relative `cli.js` in a folder hidden from us, assume crx-backup. */
function packageOf(script: string, pid: number): string | undefined {
	try {
		// A relative script is relative to that process's folder, which /proc shows only to its user and root.
		let base = '/';
		if (!path.isAbsolute(script)) {
			try {
				base = fs.readlinkSync(`/proc/${pid}/cwd`);
			} catch {
				return path.basename(script) === 'cli.js' ? 'crx-backup' : undefined;
			}
		}
		const real = fs.realpathSync(path.resolve(base, script));
		// Another user's folder: a FIFO there would block the read forever, a link to /dev/zero never end it.
		const fd = fs.openSync(path.join(path.dirname(path.dirname(real)), 'package.json'), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
		try {
			const stat = fs.fstatSync(fd);
			if (!stat.isFile() || stat.size > 1024 * 1024) return undefined;
			return (JSON.parse(fs.readFileSync(fd, 'utf8')) as {name?: string}).name;
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return undefined;
	}
}

/**
 * Reads an owner record; undefined for a missing, empty (AEM's own marker),
 * oversized or unreadable file. It may lie in a folder others can write: never
 * through a link, never from a FIFO (that would hang), never more than 64 KiB.
 */
export function readOwner(file: string): OwnerInfo | undefined {
	let fd: number | undefined;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile() || stat.size > 64 * 1024) return undefined;
		const text = fs.readFileSync(fd, 'utf8').trim();
		const owner = text ? (JSON.parse(text) as OwnerInfo) : undefined;
		return owner !== null && typeof owner === 'object' ? owner : undefined;
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
}
