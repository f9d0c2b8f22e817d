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

test('the rate is a moving average shown only once measured, and the ETA is blank, never 0 ms, when it is unknown', () => {
	let now = 1_000_000;
	const store = new ProgressStore(() => now);
	const step = {stage: 1 as const, phase: 'A' as const};
	store.handle({type: 'step-start', step});
	store.handle({type: 'progress', step, percent: 0, bytesDone: 0, bytesTotal: 4_000_000, filesDone: 0, filesTotal: 4});
	expect(store.snapshot().rate).toBeUndefined();
	// Bytes advance within the first tick: no rate yet rather than "0 B/s".
	now += 100;
	store.handle({type: 'progress', step, percent: 10, bytesDone: 1_000_000, bytesTotal: 4_000_000, filesDone: 1, filesTotal: 4});
	expect(store.snapshot()).toMatchObject({rate: undefined, etaMs: undefined});
	for (let i = 0; i < 10; i++) {
		now += 200;
		store.handle({type: 'progress', step, percent: 10, bytesDone: Math.min(4_000_000, 1_000_000 + (i + 1) * 200_000), bytesTotal: 4_000_000, filesDone: 1, filesTotal: 4});
		store.snapshot();
	}
	// 1 MB/s after the first tick's burst: the average heads down to it, and is far from the burst's 10 MB/s.
	const steady = store.snapshot().rate!;
	expect(steady).toBeGreaterThan(1_000_000);
	expect(steady).toBeLessThan(4_000_000);
	// A stall: the average falls off gradually instead of dropping to 0 at once.
	now += 200;
	const stalled = store.snapshot().rate!;
	expect(stalled).toBeGreaterThan(0);
	expect(stalled).toBeLessThan(steady);
	// The step's last bytes are in: nothing left, so no ETA ("ETA 0 ms" was shown between steps).
	store.handle({type: 'progress', step, percent: 40, bytesDone: 4_000_000, bytesTotal: 4_000_000, filesDone: 4, filesTotal: 4});
	now += 200;
	expect(store.snapshot().etaMs).toBeUndefined();
	// A new step counts its bytes from 0 without a jump: the rate does not spike.
	store.handle({type: 'step-start', step: {stage: 1, phase: 'B'}});
	store.handle({type: 'progress', step: {stage: 1, phase: 'B'}, percent: 50, bytesDone: 200_000, bytesTotal: 1_000_000, filesDone: 1, filesTotal: 2});
	now += 200;
	expect(store.snapshot().rate).toBeLessThan(steady);
});

test('a copy that stalls (a throttle sleeping off its debt, a file held) has no ETA: the decaying rate guessed "ETA 19144 h"', () => {
	let now = 1_000_000;
	const store = new ProgressStore(() => now);
	const step = {stage: 1 as const, phase: 'A' as const};
	store.handle({type: 'step-start', step});
	store.handle({type: 'progress', step, percent: 0, bytesDone: 0, bytesTotal: 300_000, filesDone: 0, filesTotal: 3});
	store.snapshot();
	for (let i = 0; i < 5; i++) {
		now += 250;
		store.handle({type: 'progress', step, percent: 0, bytesDone: 25 * (i + 1), bytesTotal: 300_000, filesDone: 2, filesTotal: 3});
		store.snapshot();
	}
	expect(store.snapshot().etaMs).toBeGreaterThan(0);
	// Then nothing moves for half a minute: the rate decays toward 0 and the ETA it implied grew without end.
	for (let i = 0; i < 120; i++) {
		now += 250;
		store.snapshot();
	}
	const stalled = store.snapshot();
	expect(stalled.rate).toBeLessThan(1);
	expect(stalled.etaMs).toBeUndefined();
	// Bytes move again: a guess comes back.
	for (let i = 0; i < 8; i++) {
		now += 250;
		store.handle({type: 'progress', step, percent: 50, bytesDone: 150_000 + i * 10_000, bytesTotal: 300_000, filesDone: 2, filesTotal: 3});
		store.snapshot();
	}
	expect(store.snapshot().etaMs).toBeGreaterThan(0);
});
