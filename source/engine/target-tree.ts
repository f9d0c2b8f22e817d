import fs from 'node:fs';
import path from 'node:path';

/** What the target tree already holds, seen without following links (a link is never written through). */
export interface TargetNode {
	type: 'file' | 'dir' | 'other';
	size: number;
	mtimeMs: number;
}

/** Walks an existing target crx-quickstart folder; an absent one is empty. */
export async function readTargetTree(root: string): Promise<Map<string, TargetNode>> {
	const nodes = new Map<string, TargetNode>();
	await walk(root, '', nodes);
	return nodes;
}

async function walk(dir: string, rel: string, nodes: Map<string, TargetNode>): Promise<void> {
	let dirents: fs.Dirent[];
	try {
		dirents = await fs.promises.readdir(dir, {withFileTypes: true});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	const stats = await Promise.all(dirents.map(async dirent =>
		dirent.isFile() ? fs.promises.lstat(path.join(dir, dirent.name)).catch(() => undefined) : undefined));
	for (const [index, dirent] of dirents.entries()) {
		const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
		if (dirent.isDirectory()) {
			nodes.set(childRel, {type: 'dir', size: 0, mtimeMs: 0});
			await walk(path.join(dir, dirent.name), childRel, nodes);
		} else if (dirent.isFile()) {
			const stat = stats[index];
			nodes.set(childRel, {type: 'file', size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1});
		} else {
			nodes.set(childRel, {type: 'other', size: 0, mtimeMs: 0});
		}
	}
}
