import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from './errors.js';
import {checkPrivatePlace} from './safe-place.js';

/**
 * Kernel file systems that look like folders but cannot hold a backup (statfs
 * f_type, from linux/magic.h). On /proc, mkdir of a new name fails with ENOENT
 * although its parent exists, and Node's recursive mkdir then loops forever
 * between the two, deaf to signals.
 */
const pseudoFileSystems = new Map<number, string>([
	[0x9FA0, 'proc'], [0x62656572, 'sysfs'], [0x64626720, 'debugfs'], [0x74726163, 'tracefs'], [0x73636673, 'securityfs'],
	[0x27E0EB, 'cgroup'], [0x63677270, 'cgroup2'], [0x1CD1, 'devpts'], [0xCAFE4A11, 'bpf'], [0x6165676C, 'pstore'],
	[0x62656570, 'configfs'], [0xDE5E81E4, 'efivarfs'], [0x65735543, 'fusectl'], [0x42494E4D, 'binfmt_misc'], [0x19800202, 'mqueue'],
]);

/** Linux limits: a name of 255 bytes, a path of 4,095 (PATH_MAX with its NUL). */
export const maxNameBytes = 255;
export const maxPathBytes = 4095;

/**
 * Refuses, before anything is written, a target that cannot be made where it
 * is: a name or path too long for the file system, a parent folder that does not
 * exist (a backup never makes the folders above its target: a typo would
 * otherwise create a tree anywhere), a kernel pseudo file system, or a place
 * another local user could redirect (checkPrivatePlace: a directory target must
 * be private, the folder holding a zip may be shared and sticky like /tmp).
 */
export function checkTargetPlace(target: string, kind: 'directory' | 'zip'): void {
	const tooLongName = target.split('/').find(name => Buffer.byteLength(name) > maxNameBytes);
	if (tooLongName !== undefined) throw usageError(`The target name ${shortPath(tooLongName, 60)} is ${Buffer.byteLength(tooLongName)} bytes long, over the ${maxNameBytes} a file system allows: choose a shorter name.`);
	// The longest path a backup makes is longer still (crx-quickstart/…); this is the limit below which nothing can work.
	if (Buffer.byteLength(target) > maxPathBytes) throw usageError(`The target path ${shortPath(target)} is ${Buffer.byteLength(target)} bytes long, over the ${maxPathBytes} a file system allows: choose a shorter path.`);
	const parent = path.dirname(target);
	let stat: fs.Stats;
	try {
		stat = fs.statSync(parent);
	} catch {
		throw usageError(`The folder ${shortPath(parent)} that would hold the target does not exist: create it first or choose another target.`);
	}
	if (!stat.isDirectory()) throw usageError(`${shortPath(parent)} is not a folder, so it cannot hold the target: choose another target.`);
	const pseudo = pseudoFileSystemOf(parent);
	if (pseudo) throw usageError(`The target ${shortPath(target)} is on ${pseudo}, a kernel pseudo file system that cannot hold a backup: choose another folder.`);
	if (kind === 'directory') checkPrivatePlace(target, 'the target');
	else checkPrivatePlace(parent, `the zip ${path.basename(target)}`, {sharedOk: true});
}

export function pseudoFileSystemOf(dir: string): string | undefined {
	try {
		return pseudoFileSystems.get(fs.statfsSync(dir).type);
	} catch {
		return undefined; // statfs unsupported: the mkdir that follows (never recursive) fails with one sentence instead.
	}
}
