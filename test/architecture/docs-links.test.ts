import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {expect, test} from 'vitest';

/**
 * README.md and docs/ link to each other and to the code: every relative link must
 * lead to a file that exists, and every #anchor to a heading of that file (GitHub's
 * slugs). A moved section or a renamed file then fails here, not on a reader.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const documents = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter(name => name.endsWith('.md')).map(name => `docs/${name}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
	return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function headings(markdown: string): Set<string> {
	const found = new Set<string>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		const heading = fenced ? undefined : /^#{1,6} (.+)$/.exec(line)?.[1];
		if (heading) found.add(slug(heading));
	}
	return found;
}

function links(markdown: string): string[] {
	const outside = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	return [...outside.matchAll(/\]\(([^)\s]+)\)/g)].map(match => match[1]!).filter(target => !/^[a-z]+:/i.test(target));
}

test('the slug follows GitHub: "Backup methods (`--method`)" is #backup-methods---method', () => {
	expect(slug('Backup methods (`--method`)')).toBe('backup-methods---method');
	expect(slug("AEM's own write blocking (--aem)")).toBe('aems-own-write-blocking---aem');
});

test('README points into docs/, and docs/ holds every page it names', () => {
	const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
	const named = new Set(links(readme).map(target => target.split('#')[0]).filter(file => file.startsWith('docs/')));
	expect([...named].sort()).toEqual(documents.filter(file => file.startsWith('docs/')).sort());
	expect(readme.split('\n').length).toBeLessThan(250);
});

test.each(documents)('every relative link in %s resolves, anchors included', document => {
	const markdown = fs.readFileSync(path.join(root, document), 'utf8');
	for (const target of links(markdown)) {
		const [file, anchor] = target.split('#') as [string, string | undefined];
		const resolved = file === '' ? path.join(root, document) : path.resolve(path.dirname(path.join(root, document)), file);
		expect(fs.existsSync(resolved), `${document} links to ${target}`).toBe(true);
		if (anchor) expect(headings(fs.readFileSync(resolved, 'utf8')).has(anchor), `${document} links to ${target}`).toBe(true);
	}
});

/** `test/faults/kill-*.test.ts`: a path in backticks names files of this repository (a * matches within one name). */
function exists(pattern: string): boolean {
	const clean = pattern.replace(/[:#].*$/, '').replace(/\/$/, '');
	if (!clean.includes('*')) return fs.existsSync(path.join(root, clean));
	const folder = path.dirname(clean);
	const name = new RegExp(`^${path.basename(clean).split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
	return fs.existsSync(path.join(root, folder)) && fs.readdirSync(path.join(root, folder)).some(entry => name.test(entry));
}

test.each(documents)('every file %s names in backticks exists (a test cited as proof is there)', document => {
	const markdown = fs.readFileSync(path.join(root, document), 'utf8');
	const named = [...markdown.matchAll(/`((?:test|source|fixtures|bench|scripts|docs)\/[^`\s]+)`/g)].map(match => match[1]!);
	for (const file of named) expect(exists(file), `${document} names ${file}`).toBe(true);
	if (document === 'docs/guarantees.md') expect(named.filter(file => file.startsWith('test/')).length).toBeGreaterThan(40);
});
