import type {AfterBackupPlan, AfterBackupResult} from '../../engine/types.js';
import {bytes, duration} from '../../words/format.js';
import {pruneSummary} from '../../words/prune-line.js';
import {symbols, useTheme} from '../theme.js';
import {FieldRow} from './field-row.js';
import {Paragraph} from './paragraph.js';

/** Under a finished backup: what its nightly steps did (prune, push, hook), or why one failed. */
export function AfterBackupLines({plan, result}: {plan?: AfterBackupPlan; result?: AfterBackupResult}) {
	const theme = useTheme();
	if (!plan || !result) return null;
	const hook = plan.onSuccess && !result.hookWarning && !result.failure ? '--on-success ran' : undefined;
	return (
		<>
			{result.prune ? <FieldRow label="Prune">{pruneSummary(result.prune)}</FieldRow> : null}
			{result.pushed ? <FieldRow label="Pushed">{`snapshot ${result.pushed.snapshotId.slice(0, 8)} to ${result.pushed.resticRepo} in ${duration(result.pushed.durationMs)}: ${bytes(result.pushed.dataAdded)} added`}</FieldRow> : null}
			{hook ? <FieldRow label="Hook">{hook}</FieldRow> : null}
			{result.failure ? <Paragraph color={theme.error} text={`${symbols.failed} ${result.failure.message}`} /> : null}
		</>
	);
}

/** The rows AfterBackupLines takes (a failure's sentence counted as two). */
export const afterHeight = (result?: AfterBackupResult): number =>
	result ? (result.prune ? 1 : 0) + (result.pushed ? 1 : 0) + 1 + (result.failure ? 2 : 0) : 0;

/** While the nightly steps run after the backup itself finished. */
export function AfterBackupRunning({plan}: {plan: AfterBackupPlan}) {
	const theme = useTheme();
	const steps = [Object.keys(plan.policy).length > 0 ? 'pruning' : '', plan.push ? 'pushing to restic' : '', plan.onSuccess ? 'then --on-success' : ''].filter(Boolean);
	return <Paragraph color={theme.accent} text={`… ${steps.length > 0 ? steps.join(', ') : 'running the hook'}`} />;
}
