import fs from 'node:fs';
import {setImmediate as tick} from 'node:timers/promises';
import path from 'node:path';
import {Yielder} from './yielder.js';

/**
 * Removes a tree with synchronous calls in a yielding loop: a staging folder of a
 * million files costs one unlink each, not one thread-pool hand-off each, and the
 * event loop (signals, the TUI) stays alive. Links are removed, never followed.
 */
export async function removeTree(root: string): Promise<void> {
	const yielder = new Yielder();
	const stat = fs.lstatSync(root, {throwIfNoEntry: false});
	if (!stat) return;
	if (!stat.isDirectory()) {
		fs.rmSync(root, {force: true});
		return;
	}
	await removeDir(root, yielder);
	await tick();
}

async function removeDir(dir: string, yielder: Yielder): Promise<void> {
	for (const dirent of fs.readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, dirent.name);
		if (dirent.isDirectory()) await removeDir(full, yielder);
		else fs.rmSync(full, {force: true});
		await yielder.maybe();
	}
	fs.rmdirSync(dir);
}
