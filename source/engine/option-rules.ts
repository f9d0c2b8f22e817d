import {usageError} from './errors.js';
import type {BackupMethod} from './types.js';

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
	method?: string;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
	stopCmd?: string;
	startCmd?: string;
	stopTimeout?: string;
}

/** The same, checked, with every default filled in: what BackupOptions takes. */
export interface CheckedBackupOptions {
	delayMs: number;
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeoutMs: number;
	exclude: string[];
	method: BackupMethod;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
	stopCmd?: string;
	startCmd?: string;
	stopTimeoutMs: number;
}

/**
 * Checks every option in the order the CLI always has (delay, freeze timeout,
 * thaw without freeze) and throws the first refusal as a usage error. Excludes
 * are passed through as typed: the engine normalises them (normalizeExcludes)
 * where it uses them, after the repository is known.
 */
export function checkBackupOptions(raw: RawBackupOptions): CheckedBackupOptions {
	const delayMs = parseDelay(raw.delay);
	const freezeTimeoutMs = parseFreezeTimeout(raw.freezeTimeout);
	if (raw.thawCmd && !raw.freezeCmd) throw usageError('--thaw-cmd needs --freeze-cmd: there is nothing to thaw without a freeze.');
	const method = parseMethod(raw.method);
	const stopTimeoutMs = parseStopTimeout(raw.stopTimeout);
	if (raw.snapshotReleaseCmd && !raw.snapshotCmd) throw usageError('--snapshot-release-cmd needs --snapshot-cmd: there is no snapshot to release without one.');
	if (raw.snapshotCmd && method === 'online') throw usageError('--snapshot-cmd needs --method snapshot or offline: an online backup makes no snapshot.');
	const offlineOnly = raw.stopCmd ? '--stop-cmd' : raw.startCmd ? '--start-cmd' : raw.stopTimeout !== undefined ? '--stop-timeout' : undefined;
	if (raw.freezeCmd && method === 'offline') throw usageError('--freeze-cmd is not used by --method offline: AEM is stopped, nothing writes.');
	if (offlineOnly && method !== 'offline') throw usageError(`${offlineOnly} needs --method offline: only an offline backup stops and starts AEM.`);
	return {
		delayMs, freezeCmd: raw.freezeCmd, thawCmd: raw.thawCmd, freezeTimeoutMs, exclude: raw.exclude ?? [], method,
		snapshotCmd: raw.snapshotCmd, snapshotReleaseCmd: raw.snapshotReleaseCmd, stopCmd: raw.stopCmd, startCmd: raw.startCmd, stopTimeoutMs,
	};
}
