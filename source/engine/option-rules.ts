import {usageError} from './errors.js';

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

/** The backup's options as typed: flags, or the Create form's fields and the TUI's defaults. */
export interface RawBackupOptions {
	delay?: string;
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeout?: string;
	exclude?: string[];
	linkDest?: string;
	incremental?: boolean;
}

/** The same, checked, with every default filled in: what BackupOptions takes. */
export interface CheckedBackupOptions {
	delayMs: number;
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeoutMs: number;
	exclude: string[];
	linkDest?: string;
	incremental?: boolean;
}

/** --link-dest PREVIOUS and --incremental (which picks PREVIOUS itself): one or the other, PREVIOUS not empty. */
export function checkLinkDest(linkDest: string | undefined, incremental: boolean | undefined): {linkDest?: string; incremental?: boolean} {
	if (linkDest !== undefined && incremental) throw usageError('--link-dest names the previous backup and --incremental picks it: give one of them.');
	if (linkDest !== undefined && linkDest.trim() === '') throw usageError('--link-dest needs the path of the previous directory backup.');
	return {...(linkDest === undefined ? {} : {linkDest}), ...(incremental ? {incremental} : {})};
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
	return {delayMs, freezeCmd: raw.freezeCmd, thawCmd: raw.thawCmd, freezeTimeoutMs, exclude: raw.exclude ?? [], ...checkLinkDest(raw.linkDest, raw.incremental)};
}
