/**
 * The engine's wall clock. CRX_BACKUP_NOW (an ISO time) is for tests only: it
 * moves "now" to that time as of when this module loaded, and the clock then
 * runs on from there, so durations stay true while a 40-night simulation runs
 * in seconds. Read on every call, so an in-process test can move it between
 * nights. It sets a backup's start time (its manifest, its default name, its
 * marker), the age `status` reports and the last-run record.
 */
const loadedAt = Date.now();

export function clockNow(): Date {
	const injected = process.env.CRX_BACKUP_NOW;
	const at = injected ? Date.parse(injected) : Number.NaN;
	return Number.isNaN(at) ? new Date() : new Date(at + (Date.now() - loadedAt));
}
