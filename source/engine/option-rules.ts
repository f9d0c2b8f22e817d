import {normalizeExcludes} from './backup/excludes.js';
import {usageError} from './errors.js';
import {parseMaintenanceWindow, type MaintenanceWindow} from './backup/maintenance-window.js';
import {checkResticRepo} from './restic/restic-process.js';
import type {AfterBackupPlan, BackupMethod, RetentionPolicy} from './types.js';

/**
 * The backup's options as the operator typed them, and the one place that turns
 * them into checked ones (restic's Options.ApplyDefaults): the CLI's backup and
 * estimate, the TUI's Create form and its defaults all come through here, so a
 * rule or a default is written once. Bounded: Node's timers take at most
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

/** The backup's options as typed: flags, or the Create form's fields and the TUI's defaults. */
export interface RawBackupOptions {
	delay?: string;
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeout?: string;
	exclude?: string[];
	aem?: string;
	aemUser?: string;
	maintenanceWindow?: string;
	/** --datastore PATH, --no-external-datastore (false), --files-only. */
	datastore?: string;
	externalDatastore?: boolean;
	filesOnly?: boolean;
	linkDest?: string;
	incremental?: boolean;
	method?: string;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
	stopCmd?: string;
	startCmd?: string;
	stopTimeout?: string;
	/** The nightly steps after the backup (issue 19): --keep-*, --push, --on-success, --on-failure, --hook-timeout. */
	keepLast?: string;
	keepHourly?: string;
	keepDaily?: string;
	keepWeekly?: string;
	keepMonthly?: string;
	push?: string;
	onSuccess?: string;
	onFailure?: string;
	hookTimeout?: string;
}

/** The same, checked, with every default filled in: what BackupOptions takes. */
export interface CheckedBackupOptions {
	delayMs: number;
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeoutMs: number;
	exclude: string[];
	/** AEM's address and user (--aem, --aem-user): its JMX switches freeze and thaw. The password is looked up when the backup starts. */
	aem?: {url: string; user?: string};
	/** The window a backup without --aem warns about starting in; null: none. */
	maintenanceWindow: MaintenanceWindow | null;
	datastore?: string;
	externalDatastore: boolean;
	filesOnly: boolean;
	linkDest?: string;
	incremental?: boolean;
	method: BackupMethod;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
	stopCmd?: string;
	startCmd?: string;
	stopTimeoutMs: number;
}

/** --link-dest PREVIOUS and --incremental (which picks PREVIOUS itself): one or the other, PREVIOUS not empty. */
export function checkLinkDest(linkDest: string | undefined, incremental: boolean | undefined): {linkDest?: string; incremental?: boolean} {
	if (linkDest !== undefined && incremental) throw usageError('--link-dest names the previous backup and --incremental picks it: give one of them.');
	if (linkDest !== undefined && linkDest.trim() === '') throw usageError('--link-dest needs the path of the previous directory backup.');
	return {...(linkDest === undefined ? {} : {linkDest}), ...(incremental ? {incremental} : {})};
}

/**
 * One rule per option, keyed by the option it is shown beside: each throws that
 * option's usage error. The CLI runs them all (checkBackupOptions); the TUI's
 * Create form runs each one under its own field as the operator types. A new
 * option adds its rule here, once, for both.
 */
export const backupOptionRules: {readonly [Key in keyof RawBackupOptions]?: (raw: RawBackupOptions) => void} = {
	delay: raw => void parseDelay(raw.delay),
	freezeTimeout: raw => void parseFreezeTimeout(raw.freezeTimeout),
	thawCmd(raw) {
		if (raw.thawCmd && !raw.freezeCmd) throw usageError('--thaw-cmd needs --freeze-cmd: there is nothing to thaw without a freeze.');
	},
	// Checked again where the engine uses them (normalizeExcludes), after the repository is known.
	exclude: raw => void normalizeExcludes(raw.exclude),
	aem(raw) {
		const aemUrl = parseAemUrl(raw.aem);
		if (aemUrl && (raw.freezeCmd || raw.thawCmd)) throw usageError('--aem blocks writes through AEM itself: leave out --freeze-cmd and --thaw-cmd, or --aem.');
	},
	aemUser(raw) {
		if (raw.aemUser !== undefined && !parseAemUrl(raw.aem)) throw usageError('--aem-user needs --aem: there is no AEM to log in to.');
	},
	maintenanceWindow: raw => void parseMaintenanceWindow(raw.maintenanceWindow),
	datastore: raw => void checkDatastore(raw),
	linkDest: raw => void checkLinkDest(raw.linkDest, raw.incremental),
	method: raw => void parseMethod(raw.method),
	stopTimeout: raw => void parseStopTimeout(raw.stopTimeout),
	snapshotCmd(raw) {
		if (raw.snapshotReleaseCmd && !raw.snapshotCmd) throw usageError('--snapshot-release-cmd needs --snapshot-cmd: there is no snapshot to release without one.');
		if (raw.snapshotCmd && parseMethod(raw.method) === 'online') throw usageError('--snapshot-cmd needs --method snapshot or offline: an online backup makes no snapshot.');
	},
	stopCmd(raw) {
		const method = parseMethod(raw.method);
		const offlineOnly = raw.stopCmd ? '--stop-cmd' : raw.startCmd ? '--start-cmd' : raw.stopTimeout !== undefined ? '--stop-timeout' : undefined;
		if (raw.freezeCmd && method === 'offline') throw usageError('--freeze-cmd is not used by --method offline: AEM is stopped, nothing writes.');
		if (offlineOnly && method !== 'offline') throw usageError(`${offlineOnly} needs --method offline: only an offline backup stops and starts AEM.`);
	},
	// The nightly steps after the backup: checked before it starts, so a bad one writes nothing.
	keepLast: raw => void parseKeepCount(raw.keepLast, 'keep-last'),
	keepHourly: raw => void parseKeepCount(raw.keepHourly, 'keep-hourly'),
	keepDaily: raw => void parseKeepCount(raw.keepDaily, 'keep-daily'),
	keepWeekly: raw => void parseKeepCount(raw.keepWeekly, 'keep-weekly'),
	keepMonthly: raw => void parseKeepCount(raw.keepMonthly, 'keep-monthly'),
	push: raw => void (raw.push === undefined ? undefined : checkResticRepo(raw.push, '--push')),
	hookTimeout: raw => void parseHookTimeout(raw.hookTimeout),
};

/** The nightly steps as typed, checked: what afterBackup (monitor/after-backup.ts) runs once the backup's outcome is known. */
export function checkAfterBackup(raw: RawBackupOptions): AfterBackupPlan {
	return {
		policy: parseRetention(raw), hookTimeoutMs: parseHookTimeout(raw.hookTimeout),
		...(raw.push === undefined ? {} : {push: checkResticRepo(raw.push, '--push')}),
		...(raw.onSuccess ? {onSuccess: raw.onSuccess} : {}),
		...(raw.onFailure ? {onFailure: raw.onFailure} : {}),
	};
}

/**
 * Checks every option in the order the CLI always has (delay, freeze timeout,
 * thaw without freeze, then excludes) and throws the first refusal as a usage error.
 */
export function checkBackupOptions(raw: RawBackupOptions): CheckedBackupOptions {
	for (const rule of Object.values(backupOptionRules)) rule?.(raw);
	const aemUrl = parseAemUrl(raw.aem);
	const aem = aemUrl ? {url: aemUrl, user: raw.aemUser?.trim() || undefined} : undefined;
	return {
		delayMs: parseDelay(raw.delay), freezeCmd: raw.freezeCmd, thawCmd: raw.thawCmd, freezeTimeoutMs: parseFreezeTimeout(raw.freezeTimeout),
		exclude: raw.exclude ?? [], aem, maintenanceWindow: parseMaintenanceWindow(raw.maintenanceWindow),
		datastore: checkDatastore(raw), externalDatastore: raw.externalDatastore !== false, filesOnly: raw.filesOnly === true,
		...checkLinkDest(raw.linkDest, raw.incremental),
		method: parseMethod(raw.method), snapshotCmd: raw.snapshotCmd, snapshotReleaseCmd: raw.snapshotReleaseCmd,
		stopCmd: raw.stopCmd, startCmd: raw.startCmd, stopTimeoutMs: parseStopTimeout(raw.stopTimeout),
	};
}

/** --datastore: a folder, and not together with --no-external-datastore (one says copy it, the other leave it out). */
export function checkDatastore(raw: Pick<RawBackupOptions, 'datastore' | 'externalDatastore'>): string | undefined {
	if (raw.datastore === undefined) return undefined;
	if (raw.datastore.trim() === '') throw usageError('--datastore is empty: give the external datastore\'s folder.');
	if (raw.externalDatastore === false) throw usageError('--datastore and --no-external-datastore contradict each other: pass one of them.');
	return raw.datastore;
}

// Nightly runs (issue 19): retention, monitoring and hooks. One rule per option, for the CLI and the TUI alike.

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
	if (raw === undefined) return defaultMaxAgeMs;
	const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(raw.trim());
	const ms = match ? Number(match[1]) * durationUnits[match[2]!]! : Number.NaN;
	if (!(ms > 0) || ms > 400 * durationUnits.d!) throw usageError(`--max-age must be a duration such as 26h, 90m or 2d, above 0 and at most 400d (got "${raw}").`);
	return Math.round(ms);
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
