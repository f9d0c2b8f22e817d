import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describeFsError, failure} from '../platform/errors.js';
import {currentOwner, isOwnerAlive, readOwner, type OwnerInfo} from '../platform/owner.js';
import {createPrivateFile, openStateDir, stateDirPath} from '../platform/state-dir.js';

/**
 * One backup per repository at a time. The lock lives outside the repository
 * (nothing is ever written into crx-quickstart), in this user's state folder
 * (state-dir.ts), named after the repository's real path.
 */
export function lockPath(quickstart: string): string {
	const id = crypto.createHash('sha256').update(quickstart).digest('hex').slice(0, 20);
	return path.join(stateDirPath().dir, `${id}.lock`);
}

export interface RepositoryLock {
	release(): Promise<void>;
}

/** Takes the lock, or fails at once naming the backup that holds it; a lock left by a dead process is taken over. */
export async function acquireLock(quickstart: string, target: string): Promise<RepositoryLock> {
	openStateDir(); // Checked on every run: refused before anything is written if anyone else could plant things in it.
	const file = lockPath(quickstart);
	const owner = currentOwner({source: quickstart, target});
	const temp = writeOwnerFile(file, owner);
	try {
		for (let attempt = 0; attempt < 5; attempt++) {
			try {
				await fs.promises.link(temp, file); // Atomic: fails if the lock exists.
				return {release: async () => releaseIfOurs(file, owner)};
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw failure(describeFsError(error, `taking the backup lock ${file}`), error);
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

/** The lock's content under a new private name, linked into place by the caller. */
function writeOwnerFile(file: string, owner: OwnerInfo): string {
	let created: {fd: number; file: string};
	try {
		created = createPrivateFile(file);
	} catch (error) {
		throw failure(describeFsError(error, `creating the backup lock beside ${file}`), error);
	}
	try {
		fs.writeFileSync(created.fd, JSON.stringify(owner));
	} catch (error) {
		fs.rmSync(created.file, {force: true});
		throw failure(describeFsError(error, `writing the backup lock ${created.file}`), error);
	} finally {
		fs.closeSync(created.fd);
	}
	return created.file;
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
