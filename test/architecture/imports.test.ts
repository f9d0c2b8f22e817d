import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {describe, expect, it} from 'vitest';
import {projectRoot} from '../support/cli.js';

/** Every .ts/.tsx file under `dir`, relative to the project root. */
function sourceFiles(dir: string): string[] {
	return fs.readdirSync(path.join(projectRoot, dir), {recursive: true, encoding: 'utf8'})
		.filter(name => /\.tsx?$/.test(name))
		.map(name => path.join(dir, name));
}

/** A file's imports (type-only ones included: a type cycle is a design cycle too), resolved to project files. */
function importsOf(file: string): string[] {
	const text = fs.readFileSync(path.join(projectRoot, file), 'utf8');
	const {importedFiles} = ts.preProcessFile(text, true, true);
	const found: string[] = [];
	for (const {fileName} of importedFiles) {
		if (!fileName.startsWith('.')) {
			found.push(fileName);
			continue;
		}
		const base = path.join(path.dirname(file), fileName).replace(/\.js$/, '');
		const resolved = ['.ts', '.tsx'].map(ext => base + ext).find(candidate => fs.existsSync(path.join(projectRoot, candidate)));
		if (resolved) found.push(resolved);
	}
	return found;
}

const files = [...sourceFiles('source'), 'cli.tsx'];
const graph = new Map(files.map(file => [file, importsOf(file)]));

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
	let index = 0;
	const indices = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string) => {
		indices.set(node, index);
		low.set(node, index++);
		stack.push(node);
		onStack.add(node);
		for (const next of (graph.get(node) ?? []).filter(name => graph.has(name))) {
			if (!indices.has(next)) {
				visit(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
		}
		if (low.get(node) === indices.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== node);
			if (component.length > 1 || graph.get(node)!.includes(node)) found.push(component.sort());
		}
	};
	for (const file of graph.keys()) if (!indices.has(file)) visit(file);
	return found;
}

describe('the import graph', () => {
	it('has no cycles, type-only imports included', () => {
		expect(cycles()).toEqual([]);
	});

	it('keeps the engine free of the front ends: no React, no Ink, no ui/, commands/ or progress/', () => {
		const offending = [...graph].filter(([file]) => file.startsWith('source/engine/'))
			.flatMap(([file, imports]) => imports.filter(name => /^(ink|react)(\/|$)|^ink-|^source\/(ui|commands|progress)\//.test(name)).map(name => `${file} → ${name}`));
		expect(offending).toEqual([]);
	});
});

/**
 * The layers, lowest first: a file may import its own layer and those below, never
 * one above. The platform knows nothing of backups; the contract is types only; the
 * primitives (zip, walks, entry rules, manifest, storage layout) serve every
 * operation; the operations meet in the engine's index; the words both front ends
 * print, and the progress store, sit between the engine and the front ends.
 */
const layers: Array<{name: string; files: RegExp}> = [
	{name: 'platform', files: /^source\/engine\/platform\//},
	{name: 'contract', files: /^source\/engine\/(types\.ts|contract\/|progress-contract\.ts|storage\/types\.ts|restic\/types\.ts)$|^source\/engine\/contract\//},
	{name: 'primitives', files: /^source\/engine\/(zip|walk|entries|manifest)\/|^source\/engine\/storage\/(?!types\.ts$)|^source\/engine\/(option-rules|bands)\.ts$/},
	{name: 'operations', files: /^source\/engine\/(aem|backup|restore|verify|catalog|retention|monitor|drill|options)\/|^source\/engine\/restic\/(?!types\.ts$)/},
	{name: 'engine', files: /^source\/engine\/index\.ts$/},
	{name: 'shared by the front ends', files: /^source\/(words|progress)\/|^source\/threadpool\.ts$/},
	{name: 'the demo', files: /^source\/demo\//},
	{name: 'front ends', files: /^source\/(commands|ui)\/|^cli\.tsx$/},
];
const layerOf = (file: string) => layers.findIndex(layer => layer.files.test(file));

describe('the layers', () => {
	it('place every file of source/ and cli.tsx in exactly one layer', () => {
		expect(files.filter(file => layerOf(file) === -1)).toEqual([]);
		expect(files.filter(file => layers.filter(layer => layer.files.test(file)).length > 1)).toEqual([]);
	});

	it('import only their own layer and those below', () => {
		const upward = [...graph].flatMap(([file, imports]) => imports.filter(name => graph.has(name) && layerOf(name) > layerOf(file))
			.map(name => `${file} (${layers[layerOf(file)]!.name}) → ${name} (${layers[layerOf(name)]!.name})`));
		expect(upward).toEqual([]);
	});

	it('let the platform import nothing but Node and itself', () => {
		const outside = [...graph].filter(([file]) => layerOf(file) === 0)
			.flatMap(([file, imports]) => imports.filter(name => !name.startsWith('node:') && layerOf(name) !== 0).map(name => `${file} → ${name}`));
		expect(outside).toEqual([]);
	});

	it('keep the demo (its repository, live writer and fake AEM) free of crx-backup: it stands in for AEM', () => {
		const outside = [...graph].filter(([file]) => file.startsWith('source/demo/'))
			.flatMap(([file, imports]) => imports.filter(name => graph.has(name) && !name.startsWith('source/demo/')).map(name => `${file} → ${name}`));
		expect(outside).toEqual([]);
	});

	it('hold no file over 300 lines in source/', () => {
		const long = files.filter(file => file.startsWith('source/')).map(file => [file, fs.readFileSync(path.join(projectRoot, file), 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 300);
		expect(long).toEqual([]);
	});
});
