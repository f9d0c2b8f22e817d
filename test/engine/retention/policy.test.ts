import {describe, expect, test} from 'vitest';
import {isoWeek, periodOf} from '../../../source/engine/retention/periods.js';
import {applyPolicy} from '../../../source/engine/retention/policy.js';

/** Local times, so the buckets are the ones an operator on this machine sees. */
const at = (y: number, m: number, d: number, h = 2, min = 0) => ({name: `${y}-${m}-${d} ${h}:${min}`, time: new Date(y, m - 1, d, h, min)});
type Item = ReturnType<typeof at>;
const run = (items: Item[], policy: Parameters<typeof applyPolicy>[2]) => {
	const result = applyPolicy(items, item => item.time, policy);
	return {keep: Object.fromEntries(result.keep.map(({item, reasons}) => [item.name, reasons])), remove: result.remove.map(item => item.name)};
};

describe('the retention policy (restic forget)', () => {
	test('each rule counts distinct periods, newest first, and keeps the newest of each', () => {
		const items = [at(2026, 11, 28, 2), at(2026, 11, 28, 14), at(2026, 11, 27, 2), at(2026, 11, 26, 2), at(2026, 11, 25, 2)];
		expect(run(items, {daily: 2})).toEqual({
			keep: {'2026-11-28 14:0': ['daily 2026-11-28'], '2026-11-27 2:0': ['daily 2026-11-27']},
			remove: ['2026-11-28 2:0', '2026-11-26 2:0', '2026-11-25 2:0'],
		});
	});

	test('a backup kept by any rule is kept, with every reason', () => {
		const items = [at(2026, 11, 28), at(2026, 11, 27), at(2026, 10, 31), at(2026, 10, 1), at(2026, 9, 30)];
		expect(run(items, {last: 2, monthly: 3})).toEqual({
			keep: {'2026-11-28 2:0': ['last 1', 'monthly 2026-11'], '2026-11-27 2:0': ['last 2'], '2026-10-31 2:0': ['monthly 2026-10'], '2026-9-30 2:0': ['monthly 2026-09']},
			remove: ['2026-10-1 2:0'],
		});
	});

	test('a rule with counts left keeps the oldest backup too, as restic does since 0.17', () => {
		const items = [at(2026, 11, 28, 2), at(2026, 11, 28, 1), at(2026, 11, 28, 0)];
		expect(run(items, {daily: 7})).toEqual({keep: {'2026-11-28 2:0': ['daily 2026-11-28'], '2026-11-28 0:0': ['daily 2026-11-28 (oldest)']}, remove: ['2026-11-28 1:0']});
	});

	test('the order given does not matter; equal times keep their order', () => {
		const items = [at(2026, 11, 1), at(2026, 11, 3), at(2026, 11, 2)];
		expect(run(items, {last: 1}).keep).toEqual({'2026-11-3 2:0': ['last 1']});
	});

	test('weeks are ISO 8601 weeks, across a year boundary', () => {
		expect(isoWeek(new Date(2026, 11, 31))).toEqual({year: 2026, week: 53});
		expect(isoWeek(new Date(2027, 0, 3))).toEqual({year: 2026, week: 53});
		expect(isoWeek(new Date(2027, 0, 4))).toEqual({year: 2027, week: 1});
		expect(isoWeek(new Date(2024, 11, 30))).toEqual({year: 2025, week: 1});
		expect(isoWeek(new Date(2026, 10, 30))).toEqual({year: 2026, week: 49});
		expect(periodOf('weekly', new Date(2026, 10, 28), 0)).toBe('2026-W48');
		expect(periodOf('hourly', new Date(2026, 10, 28, 3, 59), 0)).toBe('2026-11-28 03:00');
	});

	test('an empty policy keeps everything', () => {
		expect(run([at(2026, 11, 1), at(2026, 11, 2)], {}).remove).toEqual([]);
	});
});
