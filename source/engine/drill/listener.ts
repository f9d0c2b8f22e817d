import fs from 'node:fs';
import {drillProcesses} from './leftovers.js';

/**
 * Who answers on 127.0.0.1:PORT. Without a network namespace of its own the drill shares the host's loopback:
 * its port is only checked free long before its AEM starts, so another local user can listen there first and,
 * taken for the drill's AEM, be sent the admin's password. A listening socket is proven the drill's only when one
 * of the drill's processes holds it: the kernel's socket table (/proc/net/tcp, tcp6) names the listening socket's
 * inode and owner; /proc/PID/fd/* of a drill process links to `socket:[inode]`.
 */
export type ListenerCheck =
	| {state: 'ours'}
	| {state: 'none'; message: string}
	| {state: 'foreign'; pid?: number; uid?: number; message: string};

export interface ListeningSocket {
	inode: number;
	uid: number;
}

const LISTEN = '0A';
// Local addresses a connection to 127.0.0.1 can reach: 127.0.0.1, any (IPv4), any (IPv6, dual stack), ::ffff:127.0.0.1.
const REACHES_LOOPBACK = new Set(['0100007F', '00000000', '00000000000000000000000000000000', '0000000000000000FFFF00000100007F']);

/** The listening sockets on `port` that a connection to 127.0.0.1:port can reach, from the table text of /proc/net/tcp or tcp6. */
export function parseListeners(table: string, port: number): ListeningSocket[] {
	const found: ListeningSocket[] = [];
	for (const line of table.split('\n').slice(1)) {
		// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
		const fields = line.trim().split(/\s+/);
		if (fields.length < 10 || fields[3] !== LISTEN) continue;
		const [address, portHex] = fields[1]!.split(':');
		if (address === undefined || portHex === undefined || Number.parseInt(portHex, 16) !== port) continue;
		if (!REACHES_LOOPBACK.has(address.toUpperCase())) continue;
		const uid = Number(fields[7]);
		const inode = Number(fields[9]);
		if (Number.isInteger(uid) && Number.isInteger(inode) && inode > 0) found.push({inode, uid});
	}
	return found;
}

function listeners(port: number): ListeningSocket[] {
	return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap(table => {
		try {
			return parseListeners(fs.readFileSync(table, 'utf8'), port);
		} catch {
			return []; // No IPv6 on this host: no tcp6 table.
		}
	});
}

/** The socket inodes `pid` holds open (none when it is gone or not ours to inspect). */
function socketsOf(pid: number): Set<number> {
	const inodes = new Set<number>();
	let names: string[];
	try {
		names = fs.readdirSync(`/proc/${pid}/fd`);
	} catch {
		return inodes;
	}
	for (const name of names) {
		try {
			const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${name}`));
			if (match) inodes.add(Number(match[1]));
		} catch {
			// Closed meanwhile.
		}
	}
	return inodes;
}

/** Some process holding socket `inode`, searched only to name it in the sentence (other users' fds stay unreadable unless root). */
function holderOf(inode: number): number | undefined {
	for (const name of fs.readdirSync('/proc')) {
		const pid = Number(name);
		if (Number.isInteger(pid) && pid > 0 && socketsOf(pid).has(inode)) return pid;
	}
	return undefined;
}

/**
 * Whether what listens on 127.0.0.1:`port` is held by one of `pids` (the drill's JVM and the processes working in
 * its scratch folder). Every reachable listener must be theirs: one of someone else's beside the drill's could take
 * the connection. Read synchronously, so that a probe can connect right after it.
 */
export function checkListener(port: number, pids: Iterable<number>): ListenerCheck {
	const found = listeners(port);
	if (found.length === 0) return {state: 'none', message: `nothing listens on port ${port} yet`};
	const ours = new Set<number>();
	for (const pid of new Set(pids)) for (const inode of socketsOf(pid)) ours.add(inode);
	const foreign = found.find(socket => !ours.has(socket.inode));
	if (!foreign) return {state: 'ours'};
	const pid = holderOf(foreign.inode);
	const known = [pid === undefined ? '' : `pid ${pid}`, `uid ${foreign.uid}`].filter(Boolean).join(', ');
	return {state: 'foreign', ...(pid === undefined ? {} : {pid}), uid: foreign.uid, message: `port ${port} is answered by a process that is not the drill's AEM (${known})`};
}

/**
 * The processes whose sockets count as the drill's AEM: its JVM and the processes working in its scratch folder,
 * of the drill's user only. Another user's process may sit in the scratch folder too (its modes are the install's,
 * often open to all): working there must not make her listener the drill's.
 */
export function drillPids(scratch: string, uid: number, jvmPid?: number): number[] {
	const pids = drillProcesses(scratch, uid);
	if (jvmPid !== undefined && !pids.includes(jvmPid) && uidOf(jvmPid) === uid) pids.push(jvmPid);
	return pids;
}

function uidOf(pid: number): number | undefined {
	try {
		return Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
	} catch {
		return undefined;
	}
}
