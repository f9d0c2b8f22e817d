import {expect, test} from 'vitest';
import {ProgressStore} from '../../source/progress/progress-store.js';

test('the store turns events into counters, a rate over the last seconds and an ETA once the rate is real', () => {
	let now = 1_000_000;
	const store = new ProgressStore(() => now);
	const step = {stage: 1 as const, phase: 'A' as const};
	store.handle({type: 'step-start', step});
	store.handle({type: 'progress', step, percent: 10, bytesDone: 0, bytesTotal: 100_000_000, filesDone: 0, filesTotal: 10, file: 'a'});
	expect(store.snapshot().etaMs).toBeUndefined();
	now += 500;
	store.handle({type: 'progress', step, percent: 20, bytesDone: 10_000_000, bytesTotal: 100_000_000, filesDone: 1, filesTotal: 10, file: 'b'});
	expect(store.snapshot().etaMs).toBeUndefined(); // Half a second of samples: no guess yet.
	now += 500;
	store.handle({type: 'progress', step, percent: 30, bytesDone: 20_000_000, bytesTotal: 100_000_000, filesDone: 2, filesTotal: 10});
	const snapshot = store.snapshot();
	expect(snapshot.rate).toBeCloseTo(20_000_000, -3);
	expect(snapshot.etaMs).toBeCloseTo(4000, -1);
	expect(snapshot).toMatchObject({percent: 30, filesDone: 2, file: 'b', elapsedMs: 1000});
	store.handle({type: 'step-end', step, files: 10, bytes: 100_000_000, deleted: 1, durationMs: 1200});
	store.handle({type: 'freeze', command: 'x'});
	expect(store.snapshot()).toMatchObject({writesBlocked: true, completed: [{step, files: 10, bytes: 100_000_000, deleted: 1, durationMs: 1200}]});
	store.handle({type: 'thaw', command: 'y', ok: true});
	store.handle({type: 'warning', message: 'careful'});
	expect(store.snapshot()).toMatchObject({writesBlocked: false, warnings: ['careful'], done: false});
});
