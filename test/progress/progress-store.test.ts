import {expect, test} from 'vitest';
import {ProgressStore} from '../../source/progress/progress-store.js';
import {bytesOfTotal, filesOfTotal} from '../../source/words/format.js';

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

test('a backup stage\'s totals are an estimate, shown as one, and never below what is done', () => {
	const store = new ProgressStore(() => 1_000_000);
	const step = {stage: 2 as const, phase: 'A' as const};
	store.handle({type: 'step-start', step});
	// The count made before the stage said 78 files; the stage has copied 71 of them.
	store.handle({type: 'progress', step, percent: 40, bytesDone: 380, bytesTotal: 14_300_000, filesDone: 71, filesTotal: 78, estimated: true, file: 'a'});
	let snapshot = store.snapshot();
	expect(snapshot).toMatchObject({filesDone: 71, filesTotal: 78, estimated: true});
	expect(filesOfTotal(snapshot)).toBe('71/~78 files');
	expect(bytesOfTotal(snapshot)).toBe('380 B of ~13.6 MiB');
	// The stage finds files the count did not see (written since): the total rises with them, never "85/78".
	store.handle({type: 'progress', step, percent: 45, bytesDone: 14_400_000, bytesTotal: 14_300_000, filesDone: 85, filesTotal: 78, estimated: true});
	snapshot = store.snapshot();
	expect(snapshot).toMatchObject({filesDone: 85, filesTotal: 85, bytesTotal: 14_400_000});
	expect(filesOfTotal(snapshot)).toBe('85/~85 files');
	expect(bytesOfTotal(snapshot)).toBe('13.7 MiB of ~13.7 MiB');
	// The stage's last event has the counts it copied: exact, no longer an estimate.
	store.handle({type: 'progress', step, percent: 50, bytesDone: 14_300_000, bytesTotal: 14_300_000, filesDone: 85, filesTotal: 85});
	expect(filesOfTotal(store.snapshot())).toBe('85/85 files');
	// A new step starts with no total and no estimate.
	store.handle({type: 'step-start', step: {stage: 'zip'}});
	expect(store.snapshot()).toMatchObject({filesTotal: 0, estimated: false});
});

test('a total from a manifest (restore, verify) is exact, and no total at all shows the done count alone', () => {
	const store = new ProgressStore(() => 1_000_000);
	store.handle({type: 'step-start', step: 'verify'});
	store.handle({type: 'progress', step: 'verify', percent: 50, bytesDone: 100, bytesTotal: 200, filesDone: 617, filesTotal: 1234});
	expect(filesOfTotal(store.snapshot())).toBe('617/1,234 files');
	expect(bytesOfTotal(store.snapshot())).toBe('100 B of 200 B');
	// One of AEM's own zips: no manifest, no totals.
	store.handle({type: 'progress', step: 'verify', percent: 0, bytesDone: 100, bytesTotal: 0, filesDone: 3, filesTotal: 0});
	expect(store.snapshot()).toMatchObject({filesTotal: 0, bytesTotal: 0});
	expect(filesOfTotal(store.snapshot())).toBe('3 files');
	expect(bytesOfTotal(store.snapshot())).toBeUndefined();
});
