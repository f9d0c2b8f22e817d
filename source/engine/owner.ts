import fs from 'node:fs';
import os from 'node:os';

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
	return {pid: process.pid, host: os.hostname(), procStart: processStart(process.pid), startedAt: new Date().toISOString(), ...extra};
}

/** True while the process that wrote `owner` still runs on this host. */
export function isOwnerAlive(owner: OwnerInfo | undefined): boolean {
	if (!owner || typeof owner.pid !== 'number') return false;
	if (owner.host && owner.host !== os.hostname()) return true; // Cannot tell from here: assume it lives.
	try {
		process.kill(owner.pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	const start = processStart(owner.pid);
	return !(owner.procStart && start && start !== owner.procStart);
}

/** Reads an owner record; undefined for a missing, empty (AEM's own marker) or unreadable file. */
export function readOwner(file: string): OwnerInfo | undefined {
	try {
		const text = fs.readFileSync(file, 'utf8').trim();
		return text ? (JSON.parse(text) as OwnerInfo) : undefined;
	} catch {
		return undefined;
	}
}
