import {usageError} from './errors.js';

/**
 * The checks of the backup's numeric options, one rule each for the CLI and the
 * Create Backup form (which shows the same sentence inline). Bounded: Node's
 * timers take at most 2^31 − 1 ms and fire after 1 ms beyond that (a freeze
 * timeout of 99999999999 s killed the freeze at once), and an unbounded delay
 * is a backup that never ends.
 */
export const maxDelayMs = 60_000;
export const maxFreezeTimeoutSeconds = 86_400;

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
	if (raw === undefined) return 60_000;
	const text = raw.trim();
	const seconds = Number(text);
	if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0) || seconds > maxFreezeTimeoutSeconds) {
		throw usageError(`The freeze timeout must be a number of seconds above 0 and at most ${maxFreezeTimeoutSeconds} (got "${raw}").`);
	}
	return Math.max(1, Math.round(seconds * 1000));
}
