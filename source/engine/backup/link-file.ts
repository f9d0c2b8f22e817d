import fs from 'node:fs';
import zlib from 'node:zlib';
import type {LinkDest} from './link-dest.js';
import {holdsInode} from './written-inodes.js';
import type {WrittenInodes} from './written-inodes.js';

const folderFlags = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW;
const fileFlags = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
const chunk = Buffer.allocUnsafeSlow(1024 * 1024);

/** A folder of the previous backup held open: every name in it is looked up relative to the handle (an openat). */
interface OpenFolder {
	rel: string;
	fd: number;
	/** This user's and writable by nobody else: nobody else can swap what is in it. */
	ok: boolean;
}

/**
 * Hard-links files of the previous backup (untrusted input) into the new one.
 * Its folders are opened one by one without following a link, each relative to
 * the handle of the one above (`/proc/self/fd/N/name`, an openat), from the
 * backup's own folder as checked when it was chosen; the file is opened and
 * linked relative to its folder's handle too (a linkat), never by a path looked
 * up twice, so a folder swapped for a link, or renamed away, mid-run cannot make
 * us link a file from elsewhere. A link is made only to a regular file of the
 * expected size on the backups' device, owned by this user, in folders of this
 * user's that nobody else may write, that is not the source's own file; link(2)
 * never follows a link at its last component, and the new name must lead to
 * the very inode that was checked (else it is removed again and the file is
 * copied). The CRC the new manifest gives it comes from the previous manifest
 * only when the inode is one that backup wrote (see WrittenInodes); otherwise
 * the file's bytes are read through the open handle and must match it.
 */
export class PreviousLinker {
	private readonly open: OpenFolder[] = [];
	private readonly uid = process.getuid?.();
	/** Files the previous backup did not hold as its manifest says: copied instead. */
	refused = 0;
	/** Files whose CRC was computed from their bytes, not taken from the manifest. */
	read = 0;

	constructor(
		private readonly from: LinkDest,
		private readonly sourceDev: number,
		private readonly provenInodes: Float64Array | undefined,
		private readonly written: WrittenInodes | undefined,
	) {
		let fd: number;
		try {
			fd = fs.openSync(from.quickstart, folderFlags);
		} catch {
			fd = -1; // Swapped since it was chosen: nothing of it is linked.
		}
		const stat = fd < 0 ? undefined : fs.fstatSync(fd);
		this.open.push({rel: '', fd, ok: stat !== undefined && stat.dev === from.dev && stat.ino === from.quickstartIno && this.ours(stat)});
	}

	/** True when `to` is now a hard link to the previous copy of `rel`, holding `crc32`; false: copy it. */
	link(rel: string, to: string, size: number, sourceIno: number, crc32: number): boolean {
		const slash = rel.lastIndexOf('/');
		const folder = this.folder(slash < 0 ? '' : rel.slice(0, slash));
		if (!folder) return this.refuse();
		const name = `/proc/self/fd/${folder.fd}/${rel.slice(slash + 1)}`;
		let fd: number;
		try {
			fd = fs.openSync(name, fileFlags);
		} catch {
			return this.refuse();
		}
		try {
			const stat = fs.fstatSync(fd);
			if (!stat.isFile() || stat.size !== size || stat.dev !== this.from.dev || !this.ours(stat)) return this.refuse();
			if (stat.dev === this.sourceDev && stat.ino === sourceIno) return this.refuse(); // Never a link to the source itself.
			if (!(this.provenInodes && holdsInode(this.provenInodes, stat.ino)) && !this.holds(fd, size, crc32)) return this.refuse();
			try {
				fs.linkSync(name, to);
			} catch {
				return this.refuse();
			}
			const made = fs.lstatSync(to, {throwIfNoEntry: false});
			if (!made || made.ino !== stat.ino || made.dev !== stat.dev) {
				fs.rmSync(to, {force: true});
				return this.refuse();
			}
			this.written?.add(stat.ino);
			return true;
		} finally {
			fs.closeSync(fd);
		}
	}

	close(): void {
		for (const folder of this.open.splice(0)) if (folder.fd >= 0) fs.closeSync(folder.fd);
	}

	/**
	 * The open handle of the previous backup's folder `rel`, or undefined when a folder on the way is not a real
	 * folder of this user's. The walk goes folder by folder in order, so the handles form a path from the top:
	 * those the walk has left are closed, the new ones opened below the deepest one still on its way.
	 */
	private folder(rel: string): OpenFolder | undefined {
		while (this.open.length > 1 && !isInsideOrSame(this.open.at(-1)!.rel, rel)) fs.closeSync(this.open.pop()!.fd);
		let top = this.open.at(-1)!;
		while (top.rel !== rel) {
			if (!top.ok) return undefined;
			const start = top.rel === '' ? 0 : top.rel.length + 1;
			const end = rel.indexOf('/', start);
			const next = end < 0 ? rel : rel.slice(0, end);
			let fd: number;
			try {
				fd = fs.openSync(`/proc/self/fd/${top.fd}/${next.slice(start)}`, folderFlags);
			} catch {
				return undefined;
			}
			const stat = fs.fstatSync(fd);
			top = {rel: next, fd, ok: stat.dev === this.from.dev && this.ours(stat)};
			this.open.push(top);
		}
		return top.ok ? top : undefined;
	}

	/** This user's (root's when root runs it), and, for a folder, writable by nobody else. */
	private ours(stat: fs.Stats): boolean {
		return (this.uid === undefined || stat.uid === this.uid) && (!stat.isDirectory() || (stat.mode & 0o022) === 0);
	}

	/** Reads the open file: true when it holds `size` bytes whose CRC-32 is `crc32`. */
	private holds(fd: number, size: number, crc32: number): boolean {
		this.read++;
		let crc = 0;
		let done = 0;
		while (done < size) {
			const bytesRead = fs.readSync(fd, chunk, 0, Math.min(chunk.length, size - done), done);
			if (bytesRead === 0) return false;
			crc = zlib.crc32(chunk.subarray(0, bytesRead), crc);
			done += bytesRead;
		}
		return crc >>> 0 === crc32 >>> 0;
	}

	private refuse(): false {
		this.refused++;
		return false;
	}
}

const isInsideOrSame = (folder: string, rel: string) => folder === '' || rel === folder || rel.startsWith(`${folder}/`);
