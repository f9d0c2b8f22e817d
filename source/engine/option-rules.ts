import {usageError} from './platform/errors.js';
import type {BackupMethod, RetentionPolicy} from './types.js';

/**
 * The sentence each bad option value gets, and its default: the option registry
 * (options/) names these as its options' rules, and options/check.ts turns the
 * options as typed into checked ones with them, so a rule or a default is
 * written once for the CLI and the TUI. Bounded: Node's timers take at most
 * 2^31 − 1 ms and fire after 1 ms beyond that (a freeze timeout of 99999999999 s
 * killed the freeze at once), and an unbounded delay is a backup that never ends.
 */
export const maxDelayMs = 60_000;
export const maxFreezeTimeoutSeconds = 86_400;
/** A freeze (or thaw) command still running after this long is stopped: --freeze-timeout's default. */
export const defaultFreezeTimeoutMs = 60_000;

/** --delay: a whole number of milliseconds from 0 to maxDelayMs (AEM's delay; 0 is full speed). Undefined (not given) is 0. */
export function parseDelay(raw: string | undefined): number {
	if (raw === undefined) return 0;
	const text = raw.trim();
	const value = Number(text);
	if (!/^\d+$/.test(text) || value > maxDelayMs) {
		throw usageError(`The delay must be a whole number of milliseconds, 0 or more and at most ${maxDelayMs} (got delay "${raw}").`);
	}
	return value;
}

/** --freeze-timeout: seconds above 0 and at most a day (default 60); fractions allowed. Returns milliseconds. */
export function parseFreezeTimeout(raw: string | undefined): number {
	if (raw === undefined) return defaultFreezeTimeoutMs;
	const text = raw.trim();
	const seconds = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > maxFreezeTimeoutSeconds) {
		throw usageError(`The freeze timeout must be a number of seconds above 0 and at most ${maxFreezeTimeoutSeconds} (got "${raw}").`);
	}
	return Math.max(1, Math.round(seconds * 1000));
}

/**
 * --aem: AEM's http(s) address, such as http://localhost:4502. Credentials in the URL
 * are refused: argv is in the process list (the password comes from the environment or ~/.netrc).
 */
export function parseAemUrl(raw: string | undefined): string | undefined {
	if (raw === undefined) return undefined;
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw usageError(`--aem must be AEM's address, such as http://localhost:4502 (got "${raw.replace(/\/\/[^/@]*@/, '//…@')}").`);
	}
	if (url.username || url.password) throw usageError('--aem must not hold a user or password (the process list shows it): give --aem-user, and the password in CRX_BACKUP_AEM_PASSWORD or ~/.netrc.');
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--aem must be an http:// or https:// address, such as http://localhost:4502 (got "${raw}").`);
	// A context path (AEM deployed under /aem) is kept: the console is below it.
	return url.origin + url.pathname.replace(/\/+$/, '');
}

/** --stop-timeout's default: AEM may take this long to be down once the stop command ran (the seed's sites take minutes). */
export const defaultStopTimeoutMs = 600_000;
export const methods: readonly BackupMethod[] = ['online', 'snapshot', 'offline'];

/** --method: online (default), snapshot or offline. */
export function parseMethod(raw: string | undefined): BackupMethod {
	if (raw === undefined) return 'online';
	const value = raw.trim().toLowerCase();
	if (!(methods as string[]).includes(value)) throw usageError(`The method must be online, snapshot or offline (got "${raw}").`);
	return value as BackupMethod;
}

/** --stop-timeout: seconds above 0 and at most a day (default 600); fractions allowed. Returns milliseconds. */
export function parseStopTimeout(raw: string | undefined): number {
	if (raw === undefined) return defaultStopTimeoutMs;
	const text = raw.trim();
	const seconds = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > maxFreezeTimeoutSeconds) {
		throw usageError(`The stop timeout must be a number of seconds above 0 and at most ${maxFreezeTimeoutSeconds} (got "${raw}").`);
	}
	return Math.max(1, Math.round(seconds * 1000));
}

/** --link-dest PREVIOUS and --incremental (which picks PREVIOUS itself): one or the other, PREVIOUS not empty. */
export function checkLinkDest(linkDest: string | undefined, incremental: boolean | undefined): {linkDest?: string; incremental?: boolean} {
	if (linkDest !== undefined && incremental) throw usageError('--link-dest names the previous backup and --incremental picks it: give one of them.');
	if (linkDest !== undefined && linkDest.trim() === '') throw usageError('--link-dest needs the path of the previous directory backup.');
	return {...(linkDest === undefined ? {} : {linkDest}), ...(incremental ? {incremental} : {})};
}

/** --datastore: a folder, and not together with --no-external-datastore (one says copy it, the other leave it out). */
export function checkDatastore(raw: {datastore?: string; externalDatastore?: boolean}): string | undefined {
	if (raw.datastore === undefined) return undefined;
	if (raw.datastore.trim() === '') throw usageError('--datastore is empty: give the external datastore\'s folder.');
	if (raw.externalDatastore === false) throw usageError('--datastore and --no-external-datastore contradict each other: pass one of them.');
	return raw.datastore;
}

// Nightly runs: retention, monitoring and hooks. One rule per option, for the CLI and the TUI alike.

/** --keep-last/-hourly/-daily/-weekly/-monthly: a whole number of periods, 0 (rule off) up to 100,000. */
export function parseKeepCount(raw: string | undefined, flag: string): number {
	if (raw === undefined) return 0;
	const text = raw.trim();
	if (!/^\d{1,6}$/.test(text) || Number(text) > 100_000) throw usageError(`--${flag} must be a whole number from 0 to 100000 (got "${raw}").`);
	return Number(text);
}

export interface RawRetention {
	keepLast?: string;
	keepHourly?: string;
	keepDaily?: string;
	keepWeekly?: string;
	keepMonthly?: string;
}

/** The retention policy as typed: only the rules given with a count above 0 (an empty object: no policy). */
export function parseRetention(raw: RawRetention): RetentionPolicy {
	const rules = {last: raw.keepLast, hourly: raw.keepHourly, daily: raw.keepDaily, weekly: raw.keepWeekly, monthly: raw.keepMonthly};
	return Object.fromEntries(Object.entries(rules)
		.map(([rule, value]) => [rule, parseKeepCount(value, `keep-${rule}`)] as const)
		.filter(([, count]) => count > 0));
}

const durationUnits: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
/** --max-age's default: a nightly backup plus two hours of slack. */
export const defaultMaxAgeMs = 26 * 3_600_000;

/** --max-age: a number and a unit (s, m, h, d: "26h", "1.5d"), above 0 and at most 400 days. Returns milliseconds. */
export function parseMaxAge(raw: string | undefined): number {
	return raw === undefined ? defaultMaxAgeMs : parseDuration(raw, '--max-age');
}

/** A duration such as 26h, 90m, 8d or 30s, above 0 and at most 400 days, in milliseconds; `flag` names it in the refusal. */
export function parseDuration(raw: string, flag: string): number {
	const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(raw.trim());
	const ms = match ? Number(match[1]) * durationUnits[match[2]!]! : Number.NaN;
	if (!(ms > 0) || ms > 400 * durationUnits.d!) throw usageError(`${flag} must be a duration such as 26h, 90m or 2d, above 0 and at most 400d (got "${raw}").`);
	return Math.round(ms);
}

/** --start-timeout's default: a large AEM can take minutes to activate every bundle. */
export const defaultDrillStartTimeoutMs = 15 * 60_000;

export const parseStartTimeout = (raw: string | undefined): number => (raw === undefined ? defaultDrillStartTimeoutMs : parseDuration(raw, '--start-timeout'));
export const parseMaxDrillAge = (raw: string | undefined): number | undefined => (raw === undefined ? undefined : parseDuration(raw, '--max-drill-age'));

/** --port: a TCP port from 1 to 65535 (whether it is free is the drill's to say). */
export function parseDrillPort(raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	const port = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
	if (!(port >= 1 && port <= 65535)) throw usageError(`--port must be a TCP port from 1 to 65535 (got "${raw}").`);
	return port;
}

/** A hook still running after this long is stopped: --hook-timeout's default. */
export const defaultHookTimeoutMs = 60_000;

/** --hook-timeout: seconds above 0 and at most an hour (default 60). Returns milliseconds. */
export function parseHookTimeout(raw: string | undefined): number {
	if (raw === undefined) return defaultHookTimeoutMs;
	const text = raw.trim();
	const seconds = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > 3600) throw usageError(`--hook-timeout must be a number of seconds above 0 and at most 3600 (got "${raw}").`);
	return Math.max(1, Math.round(seconds * 1000));
}
