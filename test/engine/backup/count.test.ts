import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {runBackup} from '../../../source/engine/backup/run.js';
import {resolveRepository, resolveTarget} from '../../../source/engine/backup/repository.js';
import type {BackupEvent} from '../../../source/engine/types.js';
import {contentOf, describeTree, makeInstall, tempDir} from '../../support/trees.js';

let root: string;
beforeEach(() => {
	root = tempDir();
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

/**
 * Stage 1 goes through the tree as the count before it found it, instead of
 * walking it again: the start event comes between the two, so what changes
 * there shows which walk stage 1 used. A file created then is stage 2's to copy
 * (a fresh walk would have given it to stage 1); a file deleted then is in no
 * stage's state. Either way the backup ends up equal to the source.
 */
for (const kind of ['directory', 'zip'] as const) {
	test(`stage 1 of a ${kind} backup replays the count's walk; stage 2 takes what changed after it`, async () => {
		const {install, quickstart} = makeInstall(root);
		execFileSync('mkfifo', [path.join(quickstart, 'logs', 'pipe')]);
		const repository = await resolveRepository(install);
		const events: BackupEvent[] = [];
		const summary = await runBackup({
			repository, target: resolveTarget(repository, path.join(root, kind === 'zip' ? 'b.zip' : 'b')), delayMs: 0,
			onEvent: event => {
				events.push(event);
				if (event.type !== 'start') return;
				fs.rmSync(path.join(quickstart, 'conf', 'sling.properties'));
				fs.writeFileSync(path.join(quickstart, 'logs', 'new.log'), 'written after the count\n');
			},
		});
		const start = events.find(event => event.type === 'start')!;
		expect(start.type === 'start' && start.repositoryFiles).toBe(26);
		// Counted 26; one of them vanished before stage 1 read it, and stage 1 never saw the new one.
		expect(summary.stages[0]!.files).toBe(25);
		expect(summary.stages[1]!.files).toBeGreaterThanOrEqual(1);
		// The FIFO was found by the count: warned once, after the start event.
		const warnings = events.flatMap((event, index) => (event.type === 'warning' && event.message.includes('logs/pipe') ? [index] : []));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toBeGreaterThan(events.indexOf(start));

		let backedUp: string;
		if (kind === 'zip') {
			backedUp = path.join(root, 'unzipped');
			execFileSync('unzip', ['-q', path.join(root, 'b.zip'), '-d', backedUp]);
		} else {
			backedUp = path.join(root, 'b');
		}
		const expected = describeTree(quickstart, {skip: ['repository/index', 'repository/cache', 'logs/pipe']});
		expect(contentOf(describeTree(path.join(backedUp, 'crx-quickstart')))).toEqual(contentOf(expected));
		expect(fs.readFileSync(path.join(backedUp, 'crx-quickstart', 'logs', 'new.log'), 'utf8')).toBe('written after the count\n');
		expect(fs.existsSync(path.join(backedUp, 'crx-quickstart', 'conf', 'sling.properties'))).toBe(false);
	});
}
