/**
 * The periods restic's `forget` buckets snapshots by, in local time (restic's
 * ymdh, ymd, yw, ym): two backups share a bucket when these keys are equal. The
 * key is also the label the operator reads ("daily 2026-11-28").
 */
import type {PeriodRule} from '../types.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week of a local date: the week (Monday first) holding that week's Thursday, and that Thursday's year. */
export function isoWeek(date: Date): {year: number; week: number} {
	const thursday = new Date(date.getFullYear(), date.getMonth(), date.getDate());
	thursday.setDate(thursday.getDate() + 3 - ((thursday.getDay() + 6) % 7));
	const january4 = new Date(thursday.getFullYear(), 0, 4);
	// Whole days between two local midnights; rounding absorbs a daylight-saving hour.
	const days = Math.round((thursday.getTime() - january4.getTime()) / 86_400_000);
	return {year: thursday.getFullYear(), week: 1 + Math.floor((days + ((january4.getDay() + 6) % 7)) / 7)};
}

/** The bucket key of `date` under `rule`; `last` gives every backup its own bucket (restic's `always`). */
export function periodOf(rule: PeriodRule, date: Date, index: number): string {
	const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
	switch (rule) {
		case 'last': return String(index + 1);
		case 'hourly': return `${day} ${pad(date.getHours())}:00`;
		case 'daily': return day;
		case 'weekly': {
			const {year, week} = isoWeek(date);
			return `${year}-W${pad(week)}`;
		}
		case 'monthly': return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
	}
}
