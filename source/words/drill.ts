import type {DrillEvent, DrillHealth, DrillSummary} from '../engine/types.js';
import {duration, escapeControls, printableName} from './format.js';

/** A drill's figures in one line: each phase and their sum, the restore time objective. */
export function drillFigures(summary: DrillSummary): string {
	const {verifyMs, restoreMs, startMs, rtoMs} = summary.figures;
	return `verify ${duration(verifyMs)} + restore ${duration(restoreMs)} + start to ready ${duration(startMs)} = ${duration(rtoMs)} to recover; the backup was ${duration(summary.backupAgeMs)} old`;
}

/** What `drill` prints at the end (the sentence is the engine's; names escaped, so a backup's name cannot forge a line). */
export function drillReport(summary: DrillSummary): string {
	const mark = summary.ok ? '✔' : '✖';
	const where = summary.kept ? `; kept in ${printableName(summary.restored ?? summary.scratch)}` : '';
	const isolation = summary.isolation === 'namespace' ? 'isolated in its own network namespace' : 'NOT isolated from the network (--allow-network)';
	return `${mark} ${escapeControls(summary.sentence)}\n  ${drillFigures(summary)}\n  ${isolation}, port ${summary.port}, uid ${summary.uid}${where}\n`;
}

/** A step or probe line for stderr while the drill runs; undefined for what is not worth a line (progress samples). */
export function drillEventLine(event: DrillEvent): string | undefined {
	switch (event.type) {
		case 'step-start': return `drill: ${event.step}…`;
		case 'step-end': return `drill: ${event.step} done in ${duration(event.durationMs)}`;
		case 'probe': return `drill: ${escapeControls(event.message)}`;
		case 'warning': return `warning: ${escapeControls(event.message)}`;
		default: return undefined;
	}
}

/** `status`'s drill part: the last drill's age, result and restore time, and the last good one's age when it differs. */
export function drillStatus(health: DrillHealth, maxAgeMs?: number): string {
	const {last, lastGood} = health;
	const limit = maxAgeMs === undefined ? '' : ` (max ${duration(maxAgeMs)})`;
	if (!last) return `no restore drill recorded${limit}`;
	const result = last.ok ? 'came up' : `failed (${last.result})`;
	const good = last.ok ? '' : lastGood ? `; last good drill ${duration(health.lastGoodAgeMs ?? 0)} ago` : '; no good drill recorded';
	return `last drill ${duration(health.lastAgeMs ?? 0)} ago ${result}, restore time ${duration(last.figures.rtoMs)}${good}${limit}`;
}
