import {usageError} from './errors.js';
import {parseMaintenanceWindow, type MaintenanceWindow} from './backup/maintenance-window.js';

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
	const aemUrl = parseAemUrl(raw.aem);
	if (raw.aemUser !== undefined && !aemUrl) throw usageError('--aem-user needs --aem: there is no AEM to log in to.');
	if (aemUrl && (raw.freezeCmd || raw.thawCmd)) throw usageError('--aem blocks writes through AEM itself: leave out --freeze-cmd and --thaw-cmd, or --aem.');
	const maintenanceWindow = parseMaintenanceWindow(raw.maintenanceWindow);
	const aem = aemUrl ? {url: aemUrl, user: raw.aemUser?.trim() || undefined} : undefined;
	return {delayMs, freezeCmd: raw.freezeCmd, thawCmd: raw.thawCmd, freezeTimeoutMs, exclude: raw.exclude ?? [], aem, maintenanceWindow};
}
