import fs from 'node:fs';
import {usageError} from '../platform/errors.js';

/**
 * A restic repository as it may be shown: the password of any `scheme://user:password@host` in it replaced by
 * `***`, as restic prints it (`rest:https://user:***@host/`). Every line, summary and JSON field that names a
 * repository goes through this; only restic's own environment gets the real one.
 */
export function maskResticRepo(text: string): string {
	return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):[^/\s]*@/gi, '$1:***@');
}

/** The largest RESTIC_REPOSITORY_FILE read: a repository's name is one line. */
const maxRepositoryFileBytes = 64 * 1024;

/**
 * The repository restic's own variables name, for a front that was given no --restic-repo: RESTIC_REPOSITORY,
 * or the first line of RESTIC_REPOSITORY_FILE (as restic reads them), so that a URL holding a password need not
 * be on a command line, where `ps` shows it to every local user. Both set: refused, as restic refuses them.
 */
export function resticRepoFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const named = env.RESTIC_REPOSITORY || undefined;
	const file = env.RESTIC_REPOSITORY_FILE || undefined;
	if (named && file) throw usageError('RESTIC_REPOSITORY and RESTIC_REPOSITORY_FILE are both set: keep one of them.');
	if (!file) return named;
	let text: string;
	try {
		const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
		try {
			if (!fs.fstatSync(fd).isFile()) throw new Error('not a file');
			const buffer = Buffer.alloc(maxRepositoryFileBytes);
			text = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch (error) {
		throw usageError(`RESTIC_REPOSITORY_FILE (${file}) cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): name a file holding the repository.`);
	}
	const repo = text.split('\n')[0]!.trim();
	if (!repo) throw usageError(`RESTIC_REPOSITORY_FILE (${file}) is empty: write the repository into it.`);
	return repo;
}
