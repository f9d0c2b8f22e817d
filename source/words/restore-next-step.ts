import type {RestoreSummary} from '../engine/types.js';
import {shellQuote} from './shell-quote.js';

/**
 * The restore's next step for both front ends: the command that starts the
 * restored AEM, preceded by what to do first when the AEM it was backed up from
 * still runs or its port is taken (two AEMs cannot share a port: stop the old
 * one, or start this one with another CQ_PORT, which AEM's bin/start reads).
 */
export function nextStep(summary: RestoreSummary): {before?: string; command: string} {
	const start = summary.start;
	const plain = `cd ${shellQuote(summary.to)} && crx-quickstart/bin/start`;
	if (!start || (!start.sourceRunning && !start.portInUse)) return {command: plain};
	const other = start.port + 10 < 65536 ? start.port + 10 : start.port - 10;
	const command = `cd ${shellQuote(summary.to)} && CQ_PORT=${other} crx-quickstart/bin/start`;
	const before = start.sourceRunning
		? `The AEM this backup was made from still runs (${start.sourceRunning}): stop it first (${shellQuote(`${start.sourceRunning}/bin/stop`)}), then ${plain}; or start this one on another port:`
		: `Port ${start.port} is in use: stop what listens there first, then ${plain}; or start this one on another port:`;
	return {before, command};
}
