import fs from 'node:fs';
import path from 'node:path';
import {isAlive, repoLockHeld} from '../backup/methods/aem-process.js';
import {IN_PROGRESS_MARKER, isInsideOrEqual, MANIFEST_NAME, QUICKSTART} from '../platform/paths.js';
import {walkWithoutFollowing} from '../walk/tree-walk.js';

/**
 * Why the folder `root` is (or was) an AEM install rather than a backup at rest,
 * or undefined: a held repo.lock, an AEM whose cq.pid names a live process running
 * from it, a repository/index (AEM builds it; a backup leaves it out), or anything
 * below crx-quickstart written after the manifest (a backup writes its manifest
 * last). "Written" is mtime and ctime both later: a file copied with a future
 * mtime has an old ctime, and a later --link-dest backup linking a file bumps only
 * its ctime, but a write after the backup moves both. Deleting any of these would
 * destroy an instance someone uses, so prune leaves them and delete refuses them.
 */
export async function aemUseOf(root: string, signal?: AbortSignal): Promise<string | undefined> {
	const running = aemRunsIn(root);
	if (running) return running;
	const quickstart = path.join(root, QUICKSTART);
	if (!fs.lstatSync(quickstart, {throwIfNoEntry: false})?.isDirectory()) return undefined;
	if (fs.lstatSync(path.join(quickstart, 'repository', 'index'), {throwIfNoEntry: false})) return `it holds ${QUICKSTART}/repository/index, which AEM builds and a backup leaves out (AEM has run there)`;
	const manifest = fs.lstatSync(path.join(root, MANIFEST_NAME), {throwIfNoEntry: false});
	// A backup stopped while writing (its marker stays) wrote after any manifest it still holds.
	if (!manifest?.isFile() || fs.lstatSync(path.join(root, IN_PROGRESS_MARKER), {throwIfNoEntry: false})) return undefined;
	const since = manifest.mtimeMs;
	for await (const item of walkWithoutFollowing(quickstart, signal)) {
		const stat = fs.lstatSync(item.path, {throwIfNoEntry: false});
		if (stat && stat.mtimeMs > since && stat.ctimeMs > since) return `${QUICKSTART}/${item.relative} was written after its manifest (AEM, or someone, has used it since)`;
	}
	return undefined;
}

/**
 * Why AEM runs in `root` now (a held repo.lock, a live cq.pid running from it), or undefined. Asked of
 * every folder a delete would remove, the rest of an interrupted delete included: a delete killed just
 * after marking a folder leaves a whole install, and one started from it must not go with the leftover.
 * (The other signs of use do not apply there: removing entries changes the folders' times.)
 */
export function aemRunsIn(root: string): string | undefined {
	const quickstart = path.join(root, QUICKSTART);
	if (!fs.lstatSync(quickstart, {throwIfNoEntry: false})?.isDirectory()) return undefined;
	if (repoLockHeld(quickstart)) return `a process holds its ${QUICKSTART}/repository/segmentstore/repo.lock (AEM runs there)`;
	const pid = runningFrom(quickstart, root);
	if (pid !== undefined) return `its ${QUICKSTART}/conf/cq.pid names process ${pid}, which runs from it (AEM runs there)`;
	return undefined;
}

/** The pid in conf/cq.pid when that process lives and its working folder is inside `root` (a backup of a live AEM copies its cq.pid too). */
function runningFrom(quickstart: string, root: string): number | undefined {
	try {
		const fd = fs.openSync(path.join(quickstart, 'conf', 'cq.pid'), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const buffer = Buffer.alloc(32);
		let read = 0;
		try {
			if (fs.fstatSync(fd).isFile()) read = fs.readSync(fd, buffer, 0, buffer.length, 0);
		} finally {
			fs.closeSync(fd);
		}
		const pid = Number(buffer.subarray(0, read).toString('utf8').trim());
		if (!Number.isInteger(pid) || pid < 1 || !isAlive(pid)) return undefined;
		const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
		return isInsideOrEqual(fs.realpathSync(root), cwd) ? pid : undefined;
	} catch {
		return undefined;
	}
}
