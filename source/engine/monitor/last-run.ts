import fs from 'node:fs';
import {lockPath} from '../backup/lock.js';
import {createPrivateFile, openStateDir} from '../platform/state-dir.js';
import type {LastRun} from '../types.js';


/** Beside the repository's lock, under the same name: `<id>.last-run.json`. */
export const lastRunPath = (quickstart: string) => lockPath(quickstart).replace(/\.lock$/, '.last-run.json');

/**
 * Written whole under a private temporary name, synced, then renamed into place:
 * a reader sees the previous record or this one, never half of one. openStateDir
 * checks the folder first (a planted link or another user's folder is refused).
 */
export function writeLastRun(run: LastRun): string {
	openStateDir();
	const file = lastRunPath(run.repository);
	const {fd, file: temp} = createPrivateFile(file);
	try {
		fs.writeFileSync(fd, `${JSON.stringify(run, null, 2)}\n`);
		fs.fsyncSync(fd);
	} catch (error) {
		fs.closeSync(fd);
		fs.rmSync(temp, {force: true});
		throw error;
	}
	fs.closeSync(fd);
	fs.renameSync(temp, file);
	return file;
}

/** The record, or undefined when there is none (or it is not a plain file of ours: never read through a link). */
export function readLastRun(quickstart: string): LastRun | undefined {
	let fd: number | undefined;
	try {
		fd = fs.openSync(lastRunPath(quickstart), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile() || stat.size > 4 * 1024 * 1024) return undefined;
		const run = JSON.parse(fs.readFileSync(fd, 'utf8')) as LastRun;
		return run && typeof run === 'object' && typeof run.exitCode === 'number' && typeof run.finishedAt === 'string' ? run : undefined;
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
}
