import fs from 'node:fs';
import path from 'node:path';
import type {LinkDest} from './link-dest.js';

/**
 * Hard-links files of the previous backup (untrusted input) into the new one.
 * A link is made only to what the previous backup really holds at that path:
 * its folder resolves to where it should (no symbolic link on the way), the
 * file opened without following a link is a regular file of the expected size
 * on the backups' device, and it is not the source's own file. link(2) never
 * follows a symbolic link at its last component, and the new name is checked to
 * lead to the very inode that was opened (else it is removed again and the file
 * is copied): a folder swapped for a link meanwhile cannot make us link elsewhere.
 */
export class PreviousLinker {
	private checkedDir = '';
	private dirOk = false;
	/** Files the previous backup did not hold as its manifest says: copied instead. */
	refused = 0;

	constructor(private readonly from: LinkDest, private readonly sourceDev: number) {}

	/** True when `to` is now a hard link to the previous copy of `rel`; false: copy it. */
	link(rel: string, to: string, size: number, sourceIno: number): boolean {
		const file = path.join(this.from.quickstart, rel);
		if (!this.folderLeadsHome(path.dirname(rel))) return this.refuse();
		let fd: number;
		try {
			fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		} catch {
			return this.refuse();
		}
		try {
			const stat = fs.fstatSync(fd);
			if (!stat.isFile() || stat.size !== size || stat.dev !== this.from.dev) return this.refuse();
			if (stat.dev === this.sourceDev && stat.ino === sourceIno) return this.refuse(); // Never a link to the source itself.
			try {
				fs.linkSync(file, to);
			} catch {
				return this.refuse();
			}
			const made = fs.lstatSync(to, {throwIfNoEntry: false});
			if (!made || made.ino !== stat.ino || made.dev !== stat.dev) {
				fs.rmSync(to, {force: true});
				return this.refuse();
			}
			return true;
		} finally {
			fs.closeSync(fd);
		}
	}

	/** The previous backup's folder for `dir` resolves to itself; remembered for the walk's current folder. */
	private folderLeadsHome(dir: string): boolean {
		if (dir === this.checkedDir && this.dirOk) return true;
		const expected = dir === '.' ? this.from.quickstart : path.join(this.from.quickstart, dir);
		let real: string | undefined;
		try {
			real = fs.realpathSync(expected);
		} catch {
			real = undefined;
		}
		this.checkedDir = dir;
		this.dirOk = real === expected;
		return this.dirOk;
	}

	private refuse(): false {
		this.refused++;
		return false;
	}
}
