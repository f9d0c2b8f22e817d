import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {VerifyEvent} from '../../../source/engine/types.js';
import {verify} from '../../../source/engine/verify/run.js';
import {ProgressStore} from '../../../source/progress/progress-store.js';
import {makeDirectoryBackup, makeQuickstart, makeZipBackup, tempDir} from '../../support/catalog-helpers.js';

/** Verify speaks the common contract: step-start, progress, step-end, done, with the manifest's totals. */
describe('verify events', () => {
	for (const kind of ['zip', 'directory'] as const) {
		it(`reports a ${kind} backup step by step, and the store follows it`, async () => {
			const root = tempDir();
			const {quickstart} = makeQuickstart(root);
			const backup = kind === 'zip' ? makeZipBackup(path.join(root, 'b.zip'), quickstart) : makeDirectoryBackup(path.join(root, 'b'), quickstart);
			const events: VerifyEvent[] = [];
			const store = new ProgressStore();
			const result = await verify(backup, {onEvent: event => {
				events.push(event);
				store.handle(event);
			}});
			expect(events[0]).toEqual({type: 'step-start', step: 'verify'});
			expect(events.at(-2)).toMatchObject({type: 'step-end', step: 'verify', files: 14, bytes: result.bytes});
			expect(events.at(-1)).toEqual({type: 'done', summary: result});
			const progress = events.filter(event => event.type === 'progress');
			expect(progress).toHaveLength(14);
			expect(progress.map(event => event.filesDone)).toEqual(Array.from({length: 14}, (_, index) => index + 1));
			expect(progress.at(-1)).toMatchObject({bytesDone: result.bytes, bytesTotal: result.bytes, filesTotal: 14, percent: 100});
			expect(progress.every(event => event.file?.startsWith('crx-quickstart/'))).toBe(true);
			const snapshot = store.snapshot();
			expect(snapshot.done).toBe(true);
			expect(snapshot.completed).toEqual([{step: 'verify', files: 14, bytes: result.bytes, deleted: 0, unchanged: 0, durationMs: expect.any(Number) as number}]);
		});
	}

	it('stops when its signal fires, without a done event', async () => {
		const root = tempDir();
		const {quickstart} = makeQuickstart(root);
		const backup = makeZipBackup(path.join(root, 'b.zip'), quickstart);
		const controller = new AbortController();
		const events: VerifyEvent[] = [];
		const run = verify(backup, {signal: controller.signal, onEvent: event => {
			events.push(event);
			if (event.type === 'progress') controller.abort();
		}});
		await expect(run).rejects.toThrow();
		expect(events.filter(event => event.type === 'progress')).toHaveLength(1);
		expect(events.some(event => event.type === 'done')).toBe(false);
	});
});
