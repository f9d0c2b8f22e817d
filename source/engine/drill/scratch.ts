import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {usageError} from '../platform/errors.js';
import {isInsideOrEqual} from '../platform/paths.js';
import type {Repository} from '../types.js';

/**
 * Where a drill restores to: a new hidden folder beside the backup it drills, never inside an install (the live
 * one's folder included: AEM and its scripts treat what is there as theirs).
 */
export function scratchFolder(repository: Repository, backupPath: string): string {
	const scratch = path.join(path.dirname(backupPath), `.crx-backup-drill-${crypto.randomBytes(6).toString('hex')}`);
	if (isInsideOrEqual(repository.install, scratch) || isInsideOrEqual(repository.quickstart, scratch)) {
		throw usageError(`The drill would restore into ${path.dirname(scratch)}, inside the live install ${repository.install}: keep the backups outside the install folder.`);
	}
	return scratch;
}

/**
 * Gives the restored tree to the uid its AEM runs as (root restored it, the install's owner starts it). Children
 * before their folder, never through a link (lchown): until its own turn a folder is root's, so nobody else can
 * swap anything inside it while it is walked.
 */
export function giveTree(root: string, uid: number, gid: number): void {
	const walk = (at: string) => {
		const stat = fs.lstatSync(at);
		if (stat.isDirectory()) for (const name of fs.readdirSync(at)) walk(path.join(at, name));
		fs.lchownSync(at, uid, gid);
	};
	walk(root);
}
