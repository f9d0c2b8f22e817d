import fs from 'node:fs';
import path from 'node:path';
import {Yielder} from './yielder.js';

/** What the target tree already holds, seen without following links (a link is never written through). */
export interface TargetNode {
	type: 'file' | 'dir' | 'other';
	size: number;
	mtimeMs: number;
}

/** Walks an existing target crx-quickstart folder (synchronous calls, see Yielder); an absent one is empty. */
export async function readTargetTree(root: string): Promise<Map<string, TargetNode>> {
	const nodes = new Map<string, TargetNode>();
	await walk(root, '', nodes, new Yielder());
	return nodes;
}

async function walk(dir: string, rel: string, nodes: Map<string, TargetNode>, yielder: Yielder): Promise<void> {
	await yielder.maybe();
	let dirents: fs.Dirent[];
	try {
		dirents = fs.readdirSync(dir, {withFileTypes: true});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	for (const dirent of dirents) {
		const childRel = rel ? `${rel}/${dirent.name}` : dirent.name;
		if (dirent.isDirectory()) {
			nodes.set(childRel, {type: 'dir', size: 0, mtimeMs: 0});
			await walk(path.join(dir, dirent.name), childRel, nodes, yielder);
		} else if (dirent.isFile()) {
			const stat = fs.lstatSync(path.join(dir, dirent.name), {throwIfNoEntry: false});
			nodes.set(childRel, {type: 'file', size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1});
		} else {
			nodes.set(childRel, {type: 'other', size: 0, mtimeMs: 0});
		}
	}
}
