import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {engine} from '../../source/engine/index.js';
import type {Repository} from '../../source/engine/types.js';
import {checkCreateForm, createFormReducer, initialCreateForm} from '../../source/ui/state/create-form.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * Every option rule lives once: the TUI's Create form (its as-you-type
 * check and the preflight it shows) and `crx-backup backup` refuse the same inputs
 * with the same sentence. The CLI's is its one stderr line after the prefix.
 */

let root: string;
let install: string;
let quickstart: string;
let repository: Repository;
const env = () => ({CRX_BACKUP_STATE_DIR: path.join(root, 'state')});

beforeEach(async () => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
	repository = await engine.resolveRepository(install);
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

/** The CLI's refusal: exit 2, one line, and the sentence without its prefix. */
async function cliSentence(args: string[]): Promise<string> {
	const result = await runCli(['backup', '--repo', install, ...args], {env: env()});
	expect(result.code, result.stderr).toBe(2);
	const lines = result.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^crx-backup: /);
	return lines[0]!.replace(/^crx-backup: /, '');
}

/** The Create form with `text` typed into a field, checked as the screen checks it (the real engine's resolver). */
function formCheck(field: 'target' | 'delay', text: string) {
	let state = initialCreateForm('backup.zip');
	if (field === 'delay') state = createFormReducer(state, {type: 'focus', direction: 'next'});
	const typed = state[field].text.length;
	for (let i = 0; i < typed; i++) state = createFormReducer(state, {type: 'edit', edit: {type: 'erase'}});
	state = createFormReducer(state, {type: 'edit', edit: {type: 'insert', text}});
	expect(state[field].text).toBe(text);
	return checkCreateForm(state, typed => engine.resolveTarget(repository, typed));
}

describe('the TUI and the CLI refuse alike', () => {
	for (const delay of ['1.5', '-1', 'abc']) {
		test(`delay ${delay}`, async () => {
			const check = formCheck('delay', delay);
			expect(check.delay.ok).toBe(false);
			const reason = check.delay.ok ? '' : check.delay.reason;
			expect(await cliSentence([`--delay=${delay}`])).toBe(reason);
			expect(reason).toMatch(/^The delay must be a whole number/);
		});
	}

	test('a target inside the repository: the form, the preflight and the CLI say the same sentence', async () => {
		const inside = path.join(quickstart, 'logs', 'b.zip');
		const check = formCheck('target', inside);
		expect(check.target.ok).toBe(false);
		const reason = check.target.ok ? '' : check.target.reason;
		expect(await cliSentence(['--target', inside])).toBe(reason);

		// The preflight the form shows checks a target resolved earlier (say a link in its path changed since):
		// it blocks Enter with the resolver's sentence, not one of its own.
		const preflight = await engine.preflight(repository, {path: inside, kind: 'zip'}, 0);
		expect(preflight.errors).toContain(reason);
		expect(fs.existsSync(inside)).toBe(false);
	});
});
