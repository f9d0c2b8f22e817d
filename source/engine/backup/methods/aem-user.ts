import fs from 'node:fs';
import path from 'node:path';
import {usageError} from '../../platform/errors.js';
import type {AemUser} from '../../platform/child-env.js';

/**
 * Who runs AEM's bin/stop and bin/start. A nightly backup runs as root (cron),
 * the install belongs to the AEM user: running that user's scripts as root would
 * hand root to whoever can write them. So as root they run as the install's
 * owner (crx-quickstart's), and only when neither script nor any folder above it
 * (where it really is) can be changed by anyone but root and that owner;
 * otherwise the backup is refused. Not root, they run as this user.
 */
export interface ScriptUser {
	/** Set when crx-backup runs as root: the uid and gid the scripts run as, and whether the user has a passwd entry (its groups). */
	as?: RunAs;
	user?: AemUser;
}

export interface RunAs {
	uid: number;
	gid: number;
	/** The user has a passwd entry: it gets its supplementary groups, as a login would; otherwise none. */
	initGroups: boolean;
}

/**
 * `file args` run as `as` through util-linux's setpriv, which gives the user its own
 * supplementary groups (--init-groups): Node's own uid/gid switch drops them all, and
 * an AEM started without them may not reach a datastore shared through a group.
 */
export function asUser(as: RunAs | undefined, file: string, args: string[]): {file: string; args: string[]} {
	if (!as) return {file, args};
	return {file: 'setpriv', args: [`--reuid=${as.uid}`, `--regid=${as.gid}`, as.initGroups ? '--init-groups' : '--clear-groups', '--', file, ...args]};
}

interface PasswdEntry {
	name: string;
	uid: number;
	gid: number;
	home: string;
}

function passwdEntry(uid: number): PasswdEntry | undefined {
	try {
		for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
			const [name, , id, gid, , home] = line.split(':');
			if (name && Number(id) === uid && id !== '') return {name, uid, gid: Number(gid), home: home || '/'};
		}
	} catch {}
	return undefined;
}

/** The kernel's own limit on links followed in one lookup (MAXSYMLINKS). */
const maxLinks = 40;

/**
 * The first file or folder on the way to `file` (itself included) that someone other than root or `owner` may
 * change, as a sentence. The path is walked as the kernel looks it up, one name at a time, every link followed
 * from where it sits: checking only where it really leads misses the folder holding a link (a bin/stop that is a
 * link in a bin/ every user may write is swapped after the check, and then root runs what they chose).
 */
function changeableByOthers(file: string, owner: number): string | undefined {
	const trusted = (uid: number) => uid === 0 || uid === owner;
	const pending = path.resolve(file).split('/').filter(name => name !== '' && name !== '.');
	let at = '/';
	let links = 0;
	const check = (where: string, stat: fs.Stats, last: boolean): string | undefined => {
		const sticky = stat.isDirectory() && (stat.mode & 0o1000) !== 0;
		if (!trusted(stat.uid)) return `${where} belongs to another user (uid ${stat.uid})`;
		// A sticky folder (/tmp) lets nobody rename what is not theirs: fine above, never the script itself.
		if ((stat.mode & 0o022) !== 0 && (last || !sticky)) return `${where} is writable by ${stat.mode & 0o002 ? 'every user' : 'its group'}`;
		return undefined;
	};
	const top = check(at, fs.lstatSync(at), pending.length === 0);
	if (top) return top;
	while (pending.length > 0) {
		const name = pending.shift()!;
		if (name === '..') {
			at = path.dirname(at); // `at` is a real folder by now, so its parent is where `..` leads.
			continue;
		}
		const next = path.join(at, name);
		const stat = fs.lstatSync(next);
		if (stat.isSymbolicLink()) {
			// The folder holding it was checked; in a sticky one whoever owns the link can replace it.
			if (!trusted(stat.uid)) return `${next} is a link owned by another user (uid ${stat.uid})`;
			if (++links > maxLinks) return `${file} passes through too many links to check`;
			const target = fs.readlinkSync(next);
			pending.unshift(...target.split('/').filter(part => part !== '' && part !== '.'));
			if (path.isAbsolute(target)) at = '/';
			continue;
		}
		const problem = check(next, stat, pending.length === 0);
		if (problem) return problem;
		at = next;
	}
	return undefined;
}

export function scriptUser(quickstart: string, scripts: string[]): ScriptUser {
	if (process.geteuid?.() !== 0) return {};
	const owner = fs.statSync(quickstart).uid;
	for (const script of scripts) {
		const problem = changeableByOthers(script, owner);
		if (problem) throw usageError(`${problem}, so running ${script} as root could run another user's code: fix its owner and mode, or pass --${path.basename(script)}-cmd.`);
	}
	if (owner === 0) return {};
	const entry = passwdEntry(owner);
	const gid = entry?.gid ?? fs.statSync(quickstart).gid;
	return {as: {uid: owner, gid, initGroups: entry !== undefined}, user: {name: entry?.name ?? String(owner), home: entry?.home ?? '/'}};
}
