import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

/** Every folder of source/ says what it is for in a README of its own, so a reader opening it knows before reading code. */
const root = path.resolve(import.meta.dirname, '../..');

function folders(dir: string): string[] {
	return [dir, ...fs.readdirSync(path.join(root, dir), {withFileTypes: true}).filter(entry => entry.isDirectory()).flatMap(entry => folders(path.join(dir, entry.name)))];
}

describe('folder READMEs', () => {
	it.each(folders('source'))('%s has a README.md saying what it is for', folder => {
		const file = path.join(root, folder, 'README.md');
		expect(fs.existsSync(file), `${folder}/README.md`).toBe(true);
		const text = fs.readFileSync(file, 'utf8').trim();
		// A sentence, not a heading alone or a placeholder.
		expect(text.length).toBeGreaterThan(40);
		expect(text).toMatch(/[a-z].*[.:]/s);
	});
});
