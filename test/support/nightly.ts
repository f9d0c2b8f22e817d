import fs from 'node:fs';
import path from 'node:path';

/**
 * Helpers of the nightly-run tests (prune, status, hooks): nights in local
 * time, the names the backup gives them, and the retention policy's expected
 * outcome worked out by hand, independently of source/engine/retention.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** Night `n` (1-based) at 02:00 local time, counted from `first` (a local date). */
export function night(n: number, first = new Date(2026, 9, 1, 2, 0)): Date {
	return new Date(first.getFullYear(), first.getMonth(), first.getDate() + n - 1, 2, 0);
}

/** The default name a backup started at `date` gets: backup-YYYYMMDD-HHMM.zip in local time. */
export const zipName = (date: Date) => `backup-${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}.zip`;

/** The local Monday that starts the week of `date` ("YYYY-MM-DD"): equal Mondays, equal ISO weeks. */
function mondayOf(date: Date): string {
	const monday = new Date(date.getFullYear(), date.getMonth(), date.getDate() - ((date.getDay() + 6) % 7));
	return `${monday.getFullYear()}-${pad(monday.getMonth() + 1)}-${pad(monday.getDate())}`;
}

/**
 * One backup a night, `--keep-daily daily --keep-weekly weekly`, with enough
 * nights that both rules run out (so restic's "keep the oldest" never applies):
 * the `daily` newest nights, and the newest night of each of the `weekly`
 * newest weeks.
 */
export function expectedNightly(nights: Date[], daily: number, weekly: number): Set<string> {
	const newestFirst = [...nights].sort((a, b) => b.getTime() - a.getTime());
	const keep = new Set(newestFirst.slice(0, daily).map(zipName));
	const weeks = new Map<string, Date>();
	for (const date of newestFirst) if (!weeks.has(mondayOf(date))) weeks.set(mondayOf(date), date);
	for (const date of [...weeks.values()].slice(0, weekly)) keep.add(zipName(date));
	return keep;
}

/** The zip backups in `dir`, by name. */
export const zipsIn = (dir: string) => new Set(fs.readdirSync(dir).filter(name => name.endsWith('.zip')));

/** The state folder's last-run record of the repository (one per repository). */
export function lastRunFile(stateDir: string): string {
	const [name] = fs.readdirSync(stateDir).filter(file => file.endsWith('.last-run.json'));
	if (!name) throw new Error(`no last-run record in ${stateDir}`);
	return path.join(stateDir, name);
}
