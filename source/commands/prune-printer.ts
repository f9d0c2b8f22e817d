import type {PruneResult} from '../engine/types.js';
import {dateTime} from '../format.js';

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
		if (decision.action === 'keep') lines.push(`keep    ${when}  ${decision.name}  (${decision.reasons.join(', ')})`);
		else if (failed.has(decision.path)) lines.push(`✖ kept  ${when}  ${decision.name}  (${failed.get(decision.path)})`);
		else lines.push(`${result.dryRun ? 'would delete' : 'deleted'} ${when}  ${decision.name}  (${decision.reasons.join(', ')})`);
	}
	const kept = result.decisions.filter(decision => decision.action === 'keep').length;
	const removed = result.dryRun ? result.decisions.length - kept : result.deleted.length;
	const rules = Object.entries(result.policy).map(([rule, count]) => `--keep-${rule} ${count}`).join(' ');
	if (result.decisions.length === 0) lines.push(`No backups of this repository to prune (${rules}).`);
	else lines.push(`${result.dryRun ? 'Dry run: ' : ''}kept ${kept}, ${removeVerb} ${removed}${result.failed.length ? `, ${result.failed.length} could not be deleted` : ''} (${rules}).`);
	return `${lines.join('\n')}\n`;
}
