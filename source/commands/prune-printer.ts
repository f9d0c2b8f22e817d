import type {PruneResult} from '../engine/types.js';
import {dateTime, escapeControls, printableName} from '../words/format.js';
import {pruneSummary} from '../words/prune-line.js';

/**
 * prune's report, one line a backup, newest first: what it keeps and why
 * ("daily 2026-11-28"), what it deletes (or would, on a dry run) and why, and
 * what could not be deleted.
 */
export function formatPrune(result: PruneResult): string {
	const lines: string[] = [];
	const failed = new Map(result.failed.map(item => [item.path, item.sentence]));
	const removeVerb = result.dryRun ? 'would delete' : 'deleted';
	for (const decision of result.decisions) {
		const when = dateTime(decision.created);
		if (decision.action === 'keep') lines.push(`keep    ${when}  ${printableName(decision.name)}  (${decision.reasons.join(', ')})`);
		else if (failed.has(decision.path)) lines.push(`✖ kept  ${when}  ${printableName(decision.name)}  (${escapeControls(failed.get(decision.path)!)})`);
		else lines.push(`${removeVerb} ${when}  ${printableName(decision.name)}  (${decision.reasons.join(', ')})`);
	}
	// What prune did not decide, with why and how to take it in on purpose: never a silent skip.
	for (const item of result.left ?? []) lines.push(`leave   ${printableName(item.name)}  (${escapeControls(item.reason)}; ${escapeControls(item.hint)})`);
	lines.push(`${pruneSummary(result)}.`);
	return `${lines.join('\n')}\n`;
}
