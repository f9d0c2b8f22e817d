import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {failure} from './errors.js';
import {currentOwner, isOwnerAlive, readOwner, type OwnerInfo} from './owner.js';

/**
 * One backup per repository at a time. The lock lives outside the repository
 * (nothing is ever written into crx-quickstart): in CRX_BACKUP_STATE_DIR, else a
 * folder under the system temp folder, named after the repository's real path.
 */
export function lockDir(): string {
	return process.env.CRX_BACKUP_STATE_DIR ?? path.join(os.tmpdir(), 'crx-backup-locks');
}

export function lockPath(quickstart: string): string {
	const id = crypto.createHash('sha256').update(quickstart).digest('hex').slice(0, 20);
	return path.join(lockDir(), `${id}.lock`);
}

export interface RepositoryLock {
	release(): Promise<void>;
}

/** Takes the lock, or fails at once naming the backup that holds it; a lock left by a dead process is taken over. */
export async function acquireLock(quickstart: string, target: string): Promise<RepositoryLock> {
	const file = lockPath(quickstart);
	await fs.promises.mkdir(path.dirname(file), {recursive: true, mode: 0o700});
	const owner = currentOwner({source: quickstart, target});
	const temp = `${file}.${process.pid}.${crypto.randomBytes(3).toString('hex')}`;
	await fs.promises.writeFile(temp, JSON.stringify(owner), {mode: 0o600});
	try {
		for (let attempt = 0; attempt < 5; attempt++) {
			try {
				await fs.promises.link(temp, file); // Atomic: fails if the lock exists.
				return {release: async () => releaseIfOurs(file, owner)};
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			const holder = readOwner(file);
			if (holder && isOwnerAlive(holder)) throw busy(holder);
			// Stale: move it aside under a unique name (only one taker wins the rename), then retry.
			const aside = `${file}.stale.${crypto.randomBytes(3).toString('hex')}`;
			const moved = await fs.promises.rename(file, aside).then(() => true, () => false);
			const movedOwner = moved ? readOwner(aside) : undefined;
			if (movedOwner && isOwnerAlive(movedOwner)) {
				// Another taker replaced the stale lock between our read and our rename: put its lock back.
				await fs.promises.link(aside, file).catch(() => undefined);
				await fs.promises.rm(aside, {force: true});
				throw busy(movedOwner);
			}
			await removeStale(file);
		}
		throw failure(`Could not take the backup lock ${file}; remove it if no backup is running.`);
	} finally {
		await fs.promises.rm(temp, {force: true});
	}
}

function busy(holder: OwnerInfo): Error {
	return failure(`Another backup of this repository is running (pid ${holder.pid}, target ${holder.target ?? 'unknown'}); wait for it or cancel it.`);
}

async function removeStale(file: string): Promise<void> {
	const dir = path.dirname(file);
	const base = path.basename(file);
	for (const name of await fs.promises.readdir(dir)) {
		if (name.startsWith(`${base}.stale.`)) await fs.promises.rm(path.join(dir, name), {force: true});
	}
}

async function releaseIfOurs(file: string, owner: OwnerInfo): Promise<void> {
	const holder = readOwner(file);
	if (holder?.pid === owner.pid && holder.startedAt === owner.startedAt) await fs.promises.rm(file, {force: true});
}
