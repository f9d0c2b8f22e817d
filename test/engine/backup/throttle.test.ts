import {expect, test} from 'vitest';
import {estimateDelaySeconds, Throttle} from '../../../source/engine/backup/throttle.js';

const mebibyte = 1024 * 1024;

test("the throttle owes AEM's estimate for the bytes of the repository, and never more however often bytes are copied again", async () => {
	// An 8 KiB repository, 10 ms per MiB, a zip (divisor 2): 8/1024 MiB × 10 ms ÷ 2 = 39.0625 ms in all.
	const repositoryBytes = 8 * 1024;
	const throttle = Throttle.forBackup(10, 'zip', repositoryBytes);
	expect(estimateDelaySeconds(repositoryBytes, 10, 'zip') * 1000).toBeCloseTo(39.0625, 6);
	await throttle.pass(2048);
	expect(throttle.owedMs).toBeCloseTo(9.765625, 6);
	await throttle.pass(6144);
	expect(throttle.owedMs).toBeCloseTo(39.0625, 6);
	// Stage 2 copies busy files again: the estimate is the cap, so the added time stays what was estimated.
	await throttle.pass(16 * 1024);
	expect(throttle.owedMs).toBeCloseTo(39.0625, 6);
	await throttle.settle();
	expect(throttle.sleptMs).toBeGreaterThanOrEqual(39); // Sleeps never wake early (timers round to the millisecond).
});

test('no delay owes nothing and never sleeps', async () => {
	const throttle = Throttle.forBackup(0, 'directory', 100 * mebibyte);
	await throttle.pass(100 * mebibyte);
	await throttle.settle();
	expect(throttle.owedMs).toBe(0);
	expect(throttle.sleptMs).toBe(0);
});
