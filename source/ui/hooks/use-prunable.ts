import {useMemo} from 'react';
import {decidePrune, isEmptyPolicy} from '../../engine/index.js';
import type {BackupRecord, Repository, RetentionPolicy} from '../../engine/types.js';
import type {Column} from '../components/table.js';
import {symbols, type Theme} from '../theme.js';

/** The paths `prune` would remove under `policy` (prune's own decide), or undefined without a policy. */
export function usePrunable(records: BackupRecord[], repository: Repository, policy?: RetentionPolicy): Set<string> | undefined {
	return useMemo(() => {
		if (!policy || isEmptyPolicy(policy)) return undefined;
		const decisions = decidePrune(records, policy, {repository: repository.quickstart});
		return new Set(decisions.filter(decision => decision.action === 'remove').map(decision => decision.path));
	}, [records, repository.quickstart, policy]);
}

/** The Backups table's extra column: "✖ prune" on what the policy would remove, in the error colour (never colour alone). */
export const policyColumn = (theme: Theme, prunable: Set<string>): Column<BackupRecord> => ({
	header: 'Policy', width: 8, cell: record => (prunable.has(record.path) ? `${symbols.failed} prune` : ''),
	colour: record => (prunable.has(record.path) ? theme.error : undefined),
});
