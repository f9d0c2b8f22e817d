import fs from 'node:fs';
import path from 'node:path';

/** Codes of file systems that have no hard links (vfat, some network mounts). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Puts the finished zip at its name without ever replacing a zip made meanwhile, and returns where it
 * went. The name was free when the backup started, but another run may take it before this one ends
 * (two installs beside each other back up into one folder at the same minute: both chose the same
 * default name, and the later rename replaced the earlier backup). link(2) fails on an existing name
 * where rename(2) replaces it, so a taken name moves this backup to `<name>-2.zip` (then -3…) instead.
 * `replace` (--force: the operator asked to replace that zip) renames over it, as before.
 */
export function placeZip(partial: string, target: string, replace: boolean): string {
	if (replace) {
		fs.renameSync(partial, target);
		return target;
	}
	const base = target.replace(/\.zip$/i, '');
	for (let suffix = 1; ; suffix++) {
		const name = suffix === 1 ? target : `${base}-${suffix}.zip`;
		try {
			fs.linkSync(partial, name);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? '';
			if (code === 'EEXIST') continue;
			if (!NO_LINKS.has(code)) throw error;
			// No hard links here: look, then rename (a run taking the name in between is not seen).
			if (fs.lstatSync(name, {throwIfNoEntry: false})) continue;
			fs.renameSync(partial, name);
			return name;
		}
		fs.unlinkSync(partial);
		return name;
	}
}

/** The sentence a run adds when its zip went elsewhere than the name it was given. */
export const movedSentence = (target: string, placed: string) =>
	`${path.basename(target)} was made by another run while this one ran, so this backup is ${placed}; nothing was replaced.`;
