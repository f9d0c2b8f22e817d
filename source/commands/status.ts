import {parseMaxAge, usageError} from '../engine/index.js';
import type {HealthStatus} from '../engine/types.js';
import {bytes, duration, escapeControls, printableName} from '../words/format.js';
import type {Command} from './context.js';

/** One line for Nagios/Icinga and cron mail: the state first, in capitals, as monitoring plugins print it. */
export function statusLine(health: HealthStatus): string {
	const newest = health.newest ? `newest backup ${printableName(health.newest.name)} is ${duration(health.newest.ageMs)} old (max ${duration(health.maxAgeMs)})` : 'no complete backup';
	const run = health.lastRun ? `last run ${health.lastRun.outcome === 'success' ? 'succeeded' : `${health.lastRun.outcome === 'cancelled' ? 'was cancelled' : 'failed'} (exit ${health.lastRun.exitCode}: ${health.lastRun.sentence.replace(/\.$/, '')})`} at ${health.lastRun.finishedAt}` : 'no run recorded';
	const running = health.running ? '; a backup is running' : '';
	// Names and sentences carry file names: their controls are escaped so the line stays one line a script can trust.
	return escapeControls(`${health.state.toUpperCase()}: ${newest}; ${run}${running}; ${bytes(health.free.bytes)} free at ${printableName(health.free.path)}`);
}

/** crx-backup status [--repo DIR] [--dir DIR]... [--max-age 26h] [--json]: exit 0 healthy, 1 otherwise. */
export const statusCommand: Command = async ({input, flags, engine, stdout}) => {
	if (input.length > 0) throw usageError(`status takes no arguments (got "${input[0]}"); pass --repo DIR.`);
	const maxAgeMs = parseMaxAge(flags.maxAge);
	const repository = await engine.resolveRepository(flags.repo);
	const health = await engine.status({repository, dirs: flags.dir, maxAgeMs});
	stdout.write(flags.json ? `${JSON.stringify(health, null, 2)}\n` : `${statusLine(health)}\n`);
	return health.healthy ? 0 : 1;
};
