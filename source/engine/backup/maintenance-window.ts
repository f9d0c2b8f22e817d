import {clockNow} from '../platform/clock.js';
import {usageError} from '../platform/errors.js';

import type {MaintenanceWindow} from '../contract/backup.js';

export type {MaintenanceWindow};

/** AEM's default daily maintenance window, when online revision cleanup runs: 02:00–05:00. */
export const defaultMaintenanceWindow: MaintenanceWindow = {start: 2 * 60, end: 5 * 60};

const clock = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** --maintenance-window HH:MM-HH:MM (local time), or `none`; undefined (not given) is AEM's default. */
export function parseMaintenanceWindow(given: string | undefined): MaintenanceWindow | null {
	// Without the flag, CRX_BACKUP_MAINTENANCE_WINDOW (same syntax) sets it for every run of a host; the test suite sets none.
	const raw = given ?? (process.env.CRX_BACKUP_MAINTENANCE_WINDOW || undefined);
	if (raw === undefined) return defaultMaintenanceWindow;
	const text = raw.trim();
	if (text.toLowerCase() === 'none') return null;
	const [from, to, ...rest] = text.split('-').map(part => clock.exec(part.trim()));
	if (!from || !to || rest.length > 0 || from[0] === to[0]) {
		throw usageError(`The maintenance window must be HH:MM-HH:MM in 24-hour local time with two different times (such as 02:00-05:00), or none (got "${raw}").`);
	}
	const minutes = (match: RegExpExecArray) => Number(match[1]) * 60 + Number(match[2]);
	return {start: minutes(from), end: minutes(to)};
}

export const formatWindow = ({start, end}: MaintenanceWindow) => {
	const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
	return `${hhmm(start)}–${hhmm(end)}`;
};

/** Whether `now` (local time) falls in the window: from its start, up to but not including its end. */
export function insideWindow(window: MaintenanceWindow, now: Date): boolean {
	const minute = now.getHours() * 60 + now.getMinutes();
	return window.start < window.end ? minute >= window.start && minute < window.end : minute >= window.start || minute < window.end;
}

/** The time a backup starts at: the engine's one clock (CRX_BACKUP_NOW moves it, for the tests alone). */
export const startClock = (): Date => clockNow();

/**
 * AEM's weekly maintenance window, when Adobe schedules datastore garbage
 * collection: 01:00 on Sundays (data-store-garbage-collection.md). Adobe gives the
 * start, not the end; a datastore GC on a large store runs for hours, so it is
 * taken to last until the default nightly window ends, 05:00.
 */
export const weeklyDatastoreGcWindow = {day: 0, start: 1 * 60, end: 5 * 60} as const;

const inWeeklyWindow = (now: Date) => now.getDay() === weeklyDatastoreGcWindow.day && insideWindow(weeklyDatastoreGcWindow, now);

/**
 * The warning for a backup without --aem that starts inside the nightly window,
 * Sunday's weekly one (datastore GC), or both; undefined outside them. `none`
 * turns both off.
 */
export function maintenanceWarning(window: MaintenanceWindow | null | undefined, now = startClock()): string | undefined {
	if (window === null) return undefined;
	const nightly = window !== undefined && insideWindow(window, now);
	const weekly = inWeeklyWindow(now);
	const fix = 'set the window with --maintenance-window, or none';
	if (weekly) {
		const also = nightly ? ` and its nightly one (${formatWindow(window!)}), when online revision cleanup may run too` : '';
		return `The backup starts inside AEM's weekly maintenance window (Sunday from 01:00), when Adobe schedules datastore garbage collection${also}: a backup must never run concurrently with it (its copy may miss binaries the GC deletes); start it outside, pass --aem so AEM is asked what runs, or ${fix}.`;
	}
	if (!nightly) return undefined;
	return `The backup starts inside AEM's maintenance window (${formatWindow(window!)}), when online revision cleanup may run: a backup then is slower and copies data the cleanup is about to remove; ${fix}.`;
}
