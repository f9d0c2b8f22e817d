import fs from 'node:fs';
import path from 'node:path';
import {generateRepository, type GeneratedRepository} from '../source/demo/generate.js';

export interface Fixture extends GeneratedRepository {
	/** The install folder holding crx-quickstart (where `zip -r … crx-quickstart` runs). */
	install: string;
	/** Every regular file, relative to the install folder, sorted. */
	paths: string[];
	generateMs: number;
}

/** Builds a fresh repository with the project's generator, then reads every file once so runs start from a warm cache. */
export async function buildFixture(install: string, sizeBytes: number, smallFiles: number, records = 0): Promise<Fixture> {
	fs.rmSync(install, {recursive: true, force: true});
	fs.mkdirSync(install, {recursive: true});
	const started = Date.now();
	const generated = await generateRepository(install, {sizeBytes, seed: 1, smallFiles, records});
	const generateMs = Date.now() - started;
	const paths = listFiles(install);
	warm(install, paths);
	return {...generated, install, paths, generateMs};
}

export function listFiles(root: string): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const dirent of fs.readdirSync(path.join(root, rel), {withFileTypes: true})) {
			const child = rel ? `${rel}/${dirent.name}` : dirent.name;
			if (dirent.isDirectory()) walk(child);
			else if (dirent.isFile()) out.push(child);
		}
	};
	walk('');
	return out.sort();
}

function warm(root: string, paths: string[]): void {
	const buffer = Buffer.allocUnsafe(1 << 20);
	for (const rel of paths) {
		const fd = fs.openSync(path.join(root, rel), 'r');
		try {
			while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0) {
				// Reading is the point: it warms the page cache.
			}
		} finally {
			fs.closeSync(fd);
		}
	}
}

/** The same 1 % of files every time (every 100th path, offset so tiny trees still get one). */
export function onePercent(paths: string[]): string[] {
	return paths.filter((_path, index) => index % 100 === 50 || (paths.length < 100 && index === 0));
}

/** touch + append one byte: size, mtime and ctime all change, as a live repository's writes would. */
export function mutate(root: string, rels: string[]): void {
	const now = new Date();
	for (const rel of rels) {
		const file = path.join(root, rel);
		fs.appendFileSync(file, 'x');
		fs.utimesSync(file, now, now);
	}
}
