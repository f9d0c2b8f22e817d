import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {engine} from '../../../source/engine/index.js';
import type {BackupEvent, StepEndEvent} from '../../../source/engine/types.js';
import {ProgressStore} from '../../../source/progress/progress-store.js';
import {figures} from '../../../source/ui/state/steps.js';
import {resyncLine} from '../../../source/ui/screens/backup-summary.js';
import {makeInstall, tempDir} from '../../support/trees.js';

/**
 * Against the real engine: a re-sync says what it copied,
 * deleted and kept; a directory backup cancelled in this process is listed
 * incomplete, not running (its marker named this very process, which lives on:
 * the TUI's case).
 */
let root: string;
let saved: string | undefined;
beforeAll(() => {
	root = fs.realpathSync(tempDir('crx-stopped-'));
	saved = process.env.CRX_BACKUP_STATE_DIR;
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
});
afterAll(() => {
	if (saved === undefined) delete process.env.CRX_BACKUP_STATE_DIR;
	else process.env.CRX_BACKUP_STATE_DIR = saved;
	fs.rmSync(root, {recursive: true, force: true});
});

type StepEnd = StepEndEvent<unknown>;

describe('directory backups: re-sync counts and a stopped backup', () => {
	it('a re-sync reports copied, deleted and unchanged files per step; a cancel leaves it incomplete, not running', async () => {
		const {install, quickstart} = makeInstall(root);
		const repository = await engine.resolveRepository(install);
		const target = {path: path.join(root, 'nightly'), kind: 'directory' as const};

		await engine.backup({repository, target, delayMs: 0});
		fs.writeFileSync(path.join(quickstart, 'conf/sling.properties'), 'sling.run.modes=publish\n');
		fs.rmSync(path.join(quickstart, 'logs/error.log'));
		const store = new ProgressStore();
		const ends: StepEnd[] = [];
		await engine.backup({repository, target, delayMs: 0, onEvent: (event: BackupEvent) => {
			store.handle(event);
			if (event.type === 'step-end') ends.push(event);
		}});
		const stage1A = ends[0]!;
		expect(stage1A).toMatchObject({step: {stage: 1, phase: 'A'}, files: 1, deleted: 1});
		expect(stage1A.unchanged).toBeGreaterThan(5);
		const completed = store.snapshot().completed;
		expect(figures(completed.slice(0, 1))).toMatch(new RegExp(`^copied 1 · deleted 1 · unchanged ${stage1A.unchanged}`));
		expect(resyncLine(completed)).toMatch(/copied \d+ · deleted 1 · unchanged \d+ since the last backup/);

		// Cancelled after copying began, by this process, which goes on running (as the TUI does).
		const controller = new AbortController();
		fs.writeFileSync(path.join(quickstart, 'conf/sling.properties'), 'sling.run.modes=author\n');
		const cancelled = engine.backup({repository, target, delayMs: 0, signal: controller.signal, onEvent: event => {
			if (event.type === 'step-start') controller.abort();
		}});
		await expect(cancelled).rejects.toMatchObject({kind: 'cancelled'});
		const record = (await engine.list({repository})).find(candidate => candidate.path === target.path);
		expect(record?.status).toBe('incomplete');
		// The marker stays: the folder never looks complete.
		expect(fs.existsSync(path.join(target.path, 'backupInProgress.txt'))).toBe(true);
	});
});
