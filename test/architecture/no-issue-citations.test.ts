import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {describe, expect, it} from 'vitest';
import {projectRoot} from '../support/cli.js';

/**
 * Comments say why, never which issue: "(issue 16 item 6)" or "red-team finding 4"
 * points at a tracker nobody reading the repository can open, so the sentence around
 * it must carry the reason itself. Checked in comments and test titles only: code
 * and the strings it prints are not citations.
 */
const citation = /(issue|finding|item)s? #?[0-9]+/i;
const roots = ['source', 'test', 'bench', 'scripts'];
const self = 'test/architecture/no-issue-citations.test.ts';
/** Generated or installed trees: not ours to word. */
const skipped = new Set(['node_modules', 'work', 'dist']);
const testCalls = new Set(['describe', 'it', 'test', 'suite']);

/** Every script file under `dir` (relative to the project root), skipping generated trees. */
function scriptFiles(dir: string): string[] {
	const found: string[] = [];
	const full = path.join(projectRoot, dir);
	if (!fs.existsSync(full)) return found;
	for (const entry of fs.readdirSync(full, {withFileTypes: true})) {
		const rel = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (!skipped.has(entry.name)) found.push(...scriptFiles(rel));
		} else if (/\.(c|m)?[jt]sx?$/.test(entry.name)) found.push(rel);
	}
	return found;
}

function scriptKind(file: string): ts.ScriptKind {
	if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
	if (/\.(c|m)?ts$/.test(file)) return ts.ScriptKind.TS;
	return file.endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
}

/** `describe`, `it.skip`, `test.skipIf(x)`, `it.each(rows)`: the name the call chain starts from. */
function rootName(callee: ts.Expression): string | undefined {
	let node = callee;
	while (ts.isCallExpression(node) || ts.isPropertyAccessExpression(node)) node = node.expression;
	return ts.isIdentifier(node) ? node.text : undefined;
}

const isJsDoc = (node: ts.Node) => node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode;

/** Each comment and test title of one file that cites an issue, finding or item number, as `file:line: text`. */
function citationsIn(file: string, text: string): string[] {
	if (!citation.test(text)) return []; // Nothing to cite anywhere in it: no need to parse.
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
	const pieces = new Map<number, string>();
	const comments = (ranges: ts.CommentRange[] | undefined) => {
		for (const range of ranges ?? []) pieces.set(range.pos, text.slice(range.pos, range.end));
	};
	const visit = (node: ts.Node) => {
		if (isJsDoc(node)) return; // Its text is already part of the comment it was parsed from.
		if (ts.isCallExpression(node) && testCalls.has(rootName(node.expression) ?? '')) {
			const title = node.arguments[0];
			if (title && (ts.isStringLiteralLike(title) || ts.isTemplateExpression(title))) pieces.set(title.getStart(source), title.getText(source));
		}
		const children = node.getChildren(source);
		// Every comment is trivia before some token (or after the last): tokens are the leaves. JSX text has no trivia.
		if (children.length === 0 && node.kind !== ts.SyntaxKind.JsxText) {
			comments(ts.getLeadingCommentRanges(text, node.pos));
			comments(ts.getTrailingCommentRanges(text, node.end));
		}
		for (const child of children) visit(child);
	};
	visit(source);
	return [...pieces].filter(([, piece]) => citation.test(piece))
		.sort(([a], [b]) => a - b)
		.map(([pos, piece]) => {
			const at = pos + piece.search(citation);
			const {line} = source.getLineAndCharacterOfPosition(at);
			return `${file}:${line + 1}: ${text.split('\n')[line]!.trim()}`;
		});
}

describe('comments and test titles', () => {
	it('cite no issue, finding or item number in source/, test/, source/demo/, bench/, scripts/ or cli.tsx', () => {
		const files = [...roots.flatMap(scriptFiles), 'cli.tsx'].filter(file => file !== self);
		expect(files.length).toBeGreaterThan(100);
		const found = files.flatMap(file => citationsIn(file, fs.readFileSync(path.join(projectRoot, file), 'utf8')));
		expect(found).toEqual([]);
	});

	it('finds a citation in every kind of comment and in a test title, and none in code', () => {
		const code = [
			'// Kept (issue 16 item 6).',
			'/** Red-team finding 4: a manifest is easily edited. */',
			'/*',
			' * Issue #14, items 1 and 7.',
			' */',
			'const view = <Box>{/* item 9 */}</Box>;',
			'test.skipIf(skip)(\'finding 1: a planted link\', () => {});',
			'describe(`runTui (issue ${n} item 3)`, () => {});',
			'const label = \'issue 3\'; const items = [1]; const item = items[0];',
			'const re = /\\/\\/ issue 5/; const t = `// item 6`;',
			'const x = 1; // trailing, Issue 19',
		].join('\n');
		const found = citationsIn('sample.test.tsx', code);
		expect(found.map(line => line.split(': ')[0])).toEqual([
			'sample.test.tsx:1', 'sample.test.tsx:2', 'sample.test.tsx:4', 'sample.test.tsx:6',
			'sample.test.tsx:7', 'sample.test.tsx:8', 'sample.test.tsx:11',
		]);
		expect(citationsIn('clean.ts', '// A link planted at the name would be written through.\nconst s = \'issue 3\';')).toEqual([]);
	});
});
