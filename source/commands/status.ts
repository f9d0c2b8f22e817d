import {parseMaxAge, parseMaxDrillAge, usageError} from '../engine/index.js';
import {drillStatus} from '../words/drill.js';
import type {HealthStatus} from '../engine/types.js';
import {bytes, duration, escapeControls, printableName} from '../words/format.js';
import type {Command} from './context.js';

/** One line for Nagios/Icinga and cron mail: the state first, in capitals, as monitoring plugins print it. */
export function statusLine(health: HealthStatus, maxDrillAgeMs?: number): string {
	const newest = health.newest ? `newest backup ${printableName(health.newest.name)} is ${duration(health.newest.ageMs)} old (max ${duration(health.maxAgeMs)})` : 'no complete backup';
	const run = health.lastRun ? `last run ${health.lastRun.outcome === 'success' ? 'succeeded' : `${health.lastRun.outcome === 'cancelled' ? 'was cancelled' : 'failed'} (exit ${health.lastRun.exitCode}: ${health.lastRun.sentence.replace(/\.$/, '')})`} at ${health.lastRun.finishedAt}` : 'no run recorded';
	const running = health.running ? '; a backup is running' : '';
	// Names and sentences carry file names: their controls are escaped so the line stays one line a script can trust.
	const drill = health.drill && (health.drill.last || health.drill.fresh !== undefined) ? `; ${drillStatus(health.drill, maxDrillAgeMs)}` : '';
	const state = health.state === 'ok' && health.drill?.fresh === false ? 'STALE DRILL' : health.state.toUpperCase();
	return escapeControls(`${state}: ${newest}; ${run}${running}; ${bytes(health.free.bytes)} free at ${printableName(health.free.path)}${drill}`);
}

/** crx-backup status [--repo DIR] [--dir DIR]... [--max-age 26h] [--max-drill-age 8d] [--json]: exit 0 healthy, 1 otherwise. */
export const statusCommand: Command = async ({input, flags, engine, stdout, stderr}) => {
	if (input.length > 0) throw usageError(`status takes no arguments (got "${input[0]}"); pass --repo DIR.`);
	const maxAgeMs = parseMaxAge(flags.maxAge);
	const maxDrillAgeMs = parseMaxDrillAge(flags.maxDrillAge);
	const repository = await engine.resolveRepository(flags.repo);
	const health = await engine.status({repository, dirs: flags.dir, maxAgeMs, maxDrillAgeMs});
	// What a killed drill left and what became of it: a copy of production left behind must be said, not kept quiet.
	for (const message of health.drill?.cleaned ?? []) stderr.write(`warning: ${escapeControls(message)}\n`);
	stdout.write(flags.json ? `${JSON.stringify(health, null, 2)}\n` : `${statusLine(health, maxDrillAgeMs)}\n`);
	return health.healthy ? 0 : 1;
};
