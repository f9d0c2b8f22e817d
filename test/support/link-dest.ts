import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Files changed in the last two seconds are re-read by the next stage (coarse timestamps): let a new tree settle. */
export const settle = () => new Promise(resolve => setTimeout(resolve, 2100));

/**
 * Every path below `root` (links not followed) with what a backup run must never change there:
 * type, mode, size, mtime, inode and content digest. Link counts and ctimes are left out
 * (a hard link to a file raises both: that is what --link-dest does to the previous backup).
 */
export function sentinelTree(root: string): string {
	const lines: string[] = [];
	const walk = (dir: string, rel: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const childRel = rel ? `${rel}/${name}` : name;
			const full = path.join(dir, name);
			const stat = fs.lstatSync(full);
			const digest = stat.isFile() ? crypto.createHash('sha1').update(fs.readFileSync(full)).digest('hex') : stat.isSymbolicLink() ? fs.readlinkSync(full) : '';
			lines.push(`${childRel} ${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs} ${stat.ino} ${digest}`);
			if (stat.isDirectory()) walk(full, childRel);
		}
	};
	walk(root, '');
	return lines.join('\n');
}

/** Link count and ctime of every file below `root`: a source must keep both (never linked, never chmod'ed). */
export function linkCounts(root: string): Map<string, string> {
	const result = new Map<string, string>();
	const walk = (dir: string, rel: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const childRel = rel ? `${rel}/${entry.name}` : entry.name;
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full, childRel);
			else if (entry.isFile()) {
				const stat = fs.lstatSync(full);
				result.set(childRel, `${stat.nlink} ${stat.ctimeMs}`);
			}
		}
	};
	walk(root, '');
	return result;
}

export const inode = (file: string) => fs.lstatSync(file).ino;
