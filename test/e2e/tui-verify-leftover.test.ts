import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {makeInstall} from '../support/trees.js';
import {cliBackups, expectCleanFrames, exitStatus, rowsOf, selectRow, sizes, tmuxCases, tmuxSkip} from '../support/tmux-flows.js';

/**
 * `v` on a leftover of a backup that never finished: the verify refused it without reading a
 * byte, yet the row then said "✖ damaged (verify)", and the message told a TUI user to run
 * `crx-backup delete`. The row keeps saying what it is (a leftover), and the message names `d`.
 */
const {folder, openBackups} = tmuxCases();

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI verify of a leftover (tmux)', () => {
	it.each(sizes)('at $columns×$rows: v on a leftover says it is not a backup to verify and d deletes it; its row stays a leftover', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-verify-leftover-');
		const {install} = makeInstall(root);
		// What a backup killed mid-run leaves: its staging folder, crx-quickstart half copied.
		fs.mkdirSync(path.join(root, 'cut.1a2b.temp', 'crx-quickstart', 'repository'), {recursive: true});
		fs.writeFileSync(path.join(root, 'cut.1a2b.temp', 'crx-quickstart', 'repository', 'half'), 'x');

		const run = await openBackups(size, root, install);
		const {tty} = run;
		const list = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && /leftover staging$/m.test(frame));
		const staging = list.split('\n').findIndex(row => /^[› ] .*leftover staging$/.test(row));
		expect(staging, list).toBeGreaterThan(0);
		const pointer = list.split('\n').findIndex(row => row.startsWith('› '));
		tty.type((staging > pointer ? 'j' : 'k').repeat(Math.abs(staging - pointer)));
		await tty.waitForScreen(/^› .*leftover staging$/m);
		tty.send('v');
		const refused = await tty.waitForScreen(/not a\s+backup to\s+verify/);
		expect(refused).toMatch(/^› .*leftover staging$/m);
		expect(refused).not.toContain('damaged');
		expect(refused).not.toContain('crx-backup delete');
		expect(refused).toMatch(/\bd\s+deletes\s+it/);
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI moving while a verify runs (tmux)', () => {
	it.each(sizes)('at $columns×$rows: j typed right after v moves the pointer (it was lost while the verify ran); the result is not shown under the other row', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-verify-move-');
		const install = path.join(root, 'aem');
		await generateRepository(install, {sizeBytes: 3 * 1024 * 1024, seed: 5});
		await cliBackups(root, install, ['one.zip', 'two.zip']);
		const run = await openBackups(size, root, install);
		const {tty} = run;
		await selectRow(tty, 'two.zip', ['one.zip', 'two.zip']);
		const rows = rowsOf(tty.capture());
		const two = rows.findIndex(row => /^› two\.zip\s/.test(row));
		const other = rows.findIndex(row => /^ {2}one\.zip\s/.test(row));
		// In one write, as a fast typist sends it: verify this one, then move to the other.
		tty.type(other > two ? 'vj' : 'vk');
		const moved = await tty.waitForScreen(frame => /^› one\.zip\s/m.test(frame) && !frame.includes('Verifying'), 30_000);
		// The verify's result belongs to two.zip: it is not shown under one.zip.
		expect(moved).not.toContain('Intact');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});

describe.skipIf(tmuxSkip !== undefined)(tmuxSkip ?? 'TUI leftover statuses (tmux)', () => {
	it.each(sizes)('at $columns×$rows: a leftover partial zip says so whole in Status (it read "leftove…tial-zip")', {timeout: 90_000}, async size => {
		const root = folder('crx-e2e-leftover-words-');
		const {install} = makeInstall(root);
		fs.writeFileSync(path.join(root, 'cut.zip.1a2b.partial'), 'x');
		fs.mkdirSync(path.join(root, 'cut.1a2b.temp', 'crx-quickstart'), {recursive: true});
		const run = await openBackups(size, root, install);
		const {tty} = run;
		const list = await tty.waitForScreen(frame => frame.startsWith('crx-backup › Backups') && (frame.match(/✖ leftover/g) ?? []).length === 2);
		expect(list).toMatch(/✖ leftover partial$/m);
		expect(list).toMatch(/✖ leftover staging$/m);
		expect(list).not.toContain('leftove…');
		tty.send('q');
		expect(await exitStatus(run)).toBe(0);
		expectCleanFrames(tty, size);
	});
});
