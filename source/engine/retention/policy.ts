import type {PeriodRule, RetentionPolicy} from '../types.js';
import {periodOf} from './periods.js';


export const periodRules: readonly PeriodRule[] = ['last', 'hourly', 'daily', 'weekly', 'monthly'];

export interface Kept<T> {
	item: T;
	/** Why, one per rule that keeps it: "daily 2026-11-28", "weekly 2026-W48 (oldest)". */
	reasons: string[];
}

export interface PolicyResult<T> {
	keep: Kept<T>[];
	remove: T[];
}

export const isEmptyPolicy = (policy: RetentionPolicy) => periodRules.every(rule => !(policy[rule]! > 0));

/**
 * restic's `forget` policy (internal/restic/snapshot_policy.go, ApplyPolicy),
 * pure, for local backups and restic snapshots alike: the items newest first
 * (stable for equal times); each rule walks them once and keeps the first item
 * of every period it has not seen yet, until it has kept N; an item kept by any
 * rule is kept. As restic does since 0.17, a rule that still has counts left
 * when it reaches the oldest item keeps that one too ("(oldest)"), so a young
 * history is not cut shorter than the policy allows. An empty policy keeps
 * everything (restic's "policy is empty"); callers refuse it before.
 */
export function applyPolicy<T>(items: readonly T[], timeOf: (item: T) => Date, policy: RetentionPolicy): PolicyResult<T> {
	const sorted = items.map((item, index) => ({item, index, time: timeOf(item).getTime()}))
		.sort((a, b) => b.time - a.time || a.index - b.index);
	if (isEmptyPolicy(policy)) return {keep: sorted.map(({item}) => ({item, reasons: ['policy is empty']})), remove: []};
	const left = new Map(periodRules.map(rule => [rule, policy[rule] ?? 0]));
	const lastSeen = new Map<PeriodRule, string>();
	const result: PolicyResult<T> = {keep: [], remove: []};
	sorted.forEach(({item, time}, nr) => {
		const reasons: string[] = [];
		for (const rule of periodRules) {
			if (!(left.get(rule)! > 0)) continue;
			const period = periodOf(rule, new Date(time), nr);
			const seen = period === lastSeen.get(rule);
			if (seen && nr < sorted.length - 1) continue;
			lastSeen.set(rule, period);
			left.set(rule, left.get(rule)! - 1);
			reasons.push(`${rule} ${period}${seen ? ' (oldest)' : ''}`);
		}
		if (reasons.length > 0) result.keep.push({item, reasons});
		else result.remove.push(item);
	});
	return result;
}
