import type {PruneResult} from '../engine/types.js';

/** A prune's outcome in one clause, as `prune` ends its report and the TUI's backup summary shows it: "kept 3, deleted 2 (--keep-last 3)". */
export function pruneSummary(result: PruneResult): string {
	const rules = Object.entries(result.policy).map(([rule, count]) => `--keep-${rule} ${count}`).join(' ');
	if (result.decisions.length === 0 && !result.left?.length) return `No backups of this repository to prune (${rules})`;
	const kept = result.decisions.filter(decision => decision.action === 'keep').length;
	const removed = result.dryRun ? result.decisions.length - kept : result.deleted.length;
	const left = result.left?.length ? `, left ${result.left.length} alone` : '';
	return `${result.dryRun ? 'Dry run: ' : ''}kept ${kept}, ${result.dryRun ? 'would delete' : 'deleted'} ${removed}${result.failed.length ? `, ${result.failed.length} could not be deleted` : ''}${left} (${rules})`;
}
