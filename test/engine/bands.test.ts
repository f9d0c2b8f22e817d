import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {runBackup} from '../../source/engine/backup/run.js';
import {ProgressStore} from '../../source/progress/progress-store.js';
import {resolveRepository, resolveTarget} from '../../source/engine/backup/repository.js';
import type {BackupEvent} from '../../source/engine/types.js';
import {makeInstall, tempDir} from '../support/trees.js';

let root: string;
beforeEach(() => {
	root = tempDir();
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

const bands = {
	zip: {'1': [0, 63], '2': [63, 65.8], '3': [65.8, 68.6], '4': [68.6, 70], zip: [70, 100]},
	directory: {'1': [0, 90], '2': [90, 94], '3': [94, 98], '4': [98, 100]},
} as const;

for (const kind of ['zip', 'directory'] as const) {
	test(`progress of a ${kind} backup climbs through the seed's bands, step by step`, async () => {
		const {install} = makeInstall(root);
		const repository = await resolveRepository(install);
		const events: BackupEvent[] = [];
		const store = new ProgressStore();
		const summary = await runBackup({
			repository, target: resolveTarget(repository, kind === 'zip' ? 'b.zip' : 'b'), delayMs: 0,
			onEvent: event => {
				events.push(event);
				store.handle(event);
			},
		});
		const steps = events.filter(e => e.type === 'step-start').map(e => (e.type === 'step-start' ? `${e.step.stage}${'phase' in e.step ? e.step.phase : ''}` : ''));
		expect(steps).toEqual(['1A', '1B', '2A', '2B', '3A', '3B', '4A', '4B', ...(kind === 'zip' ? ['zip'] : [])]);
		let last = 0;
		for (const event of events) {
			if (event.type !== 'progress') continue;
			const [low, high] = bands[kind][String(event.step.stage) as keyof (typeof bands)[typeof kind]] as readonly [number, number];
			expect(event.percent).toBeGreaterThanOrEqual(low);
			expect(event.percent).toBeLessThanOrEqual(high);
			expect(event.percent).toBeGreaterThanOrEqual(last);
			expect(event.bytesDone).toBeLessThanOrEqual(event.bytesTotal || event.bytesDone);
			last = event.percent;
		}
		expect(last).toBe(100);
		// A stage's totals while it runs are the count made before it (estimated); its last event has what it copied.
		const progress = events.filter(e => e.type === 'progress');
		expect(progress.some(e => e.step.stage === 1 && e.estimated === true)).toBe(true);
		for (const event of progress) expect(event.filesDone).toBeLessThanOrEqual(event.filesTotal || event.filesDone);
		const lastOfStep = progress.filter((event, index) => progress[index + 1]?.step !== event.step);
		expect(lastOfStep.filter(event => event.estimated)).toEqual([]);
		expect(progress.filter(event => event.step.stage === 'zip' && event.estimated)).toEqual([]);
		expect(events.at(-1)).toEqual({type: 'done', summary});
		const snapshot = store.snapshot();
		expect(snapshot.done).toBe(true);
		expect(snapshot.completed).toHaveLength(steps.length);
		expect(events.find(e => e.type === 'start')).toMatchObject({kind, writesBlocked: false});
	});
}
