import {checkResticRepo} from '../restic/restic-process.js';
import {defaultHookTimeoutMs, parseHookTimeout, parseKeepCount} from '../option-rules.js';
import type {OptionTable} from './option.js';

/** The nightly steps after a backup (prune, push, hooks), and the retention rules prune takes on its own. */
export interface AfterBackupOptionValues {
	keepLast: string;
	keepHourly: string;
	keepDaily: string;
	keepWeekly: string;
	keepMonthly: string;
	push: string;
	onSuccess: string;
	onFailure: string;
	hookTimeout: string;
}

const keeping = ['backup', 'prune', 'tui'] as const;
const keepHelp = (period: string) => `keep the newest backup of each of the N newest ${period} that have one (local time), as restic forget does`;
/** backup's line for a --keep-* rule: it prunes only after a successful backup. */
const afterSuccess = (help: string) => `after a successful backup, prune: ${help}`;

// Checked before the backup starts, so a bad one writes nothing.
export const afterBackupOptions = {
	keepLast: {
		kind: 'string', value: 'N', commands: keeping,
		help: 'keep the N newest backups', helpFor: {backup: afterSuccess('keep the N newest backups')},
		rule: raw => void parseKeepCount(raw.keepLast, 'keep-last'),
		tui: {backup: {label: 'Keep last', group: 'Nightly', help: 'after a good backup, prune: keep the newest N backups of this repository (empty: no rule)'}},
	},
	keepHourly: {
		kind: 'string', value: 'N', commands: keeping, help: keepHelp('hours'), helpFor: {backup: afterSuccess(keepHelp('hours'))},
		rule: raw => void parseKeepCount(raw.keepHourly, 'keep-hourly'),
		tui: {backup: {label: 'Keep hourly', group: 'Nightly', help: 'keep the newest backup of each of the last N hours that have one'}},
	},
	keepDaily: {
		kind: 'string', value: 'N', commands: keeping, help: keepHelp('days'), helpFor: {backup: afterSuccess(keepHelp('days'))},
		rule: raw => void parseKeepCount(raw.keepDaily, 'keep-daily'),
		tui: {backup: {label: 'Keep daily', group: 'Nightly', help: 'keep the newest backup of each of the last N days that have one'}},
	},
	keepWeekly: {
		kind: 'string', value: 'N', commands: keeping, help: keepHelp('ISO weeks'), helpFor: {backup: afterSuccess(keepHelp('ISO weeks'))},
		rule: raw => void parseKeepCount(raw.keepWeekly, 'keep-weekly'),
		tui: {backup: {label: 'Keep weekly', group: 'Nightly', help: 'keep the newest backup of each of the last N ISO weeks that have one'}},
	},
	keepMonthly: {
		kind: 'string', value: 'N', commands: keeping, help: keepHelp('months'), helpFor: {backup: afterSuccess(keepHelp('months'))},
		rule: raw => void parseKeepCount(raw.keepMonthly, 'keep-monthly'),
		tui: {backup: {label: 'Keep monthly', group: 'Nightly', help: 'keep the newest backup of each of the last N months that have one'}},
	},
	push: {
		kind: 'string', value: 'REPO', commands: ['backup', 'tui'],
		help: 'after a successful backup (and its prune), push it to the restic repository REPO (password: RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND)',
		rule: raw => void (raw.push === undefined ? undefined : checkResticRepo(raw.push, '--push')),
		tui: {backup: {label: 'Push to', group: 'Nightly', help: 'after a good backup (and its prune), push it to this restic repository (password: RESTIC_PASSWORD_FILE)'}},
	},
	onSuccess: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'],
		help: 'run CMD (sh -c) after a successful backup, its prune and push; CRX_BACKUP_STATUS, CRX_BACKUP_TARGET and CRX_BACKUP_SUMMARY (the run\'s JSON record) are set',
		tui: {backup: {label: 'On success', group: 'Nightly', help: 'run after a good backup, its prune and push (sh -c; CRX_BACKUP_STATUS, _TARGET, _SUMMARY set)'}},
	},
	onFailure: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'],
		help: 'run CMD (sh -c) after a failed or cancelled backup, or a failed prune or push; the same variables are set',
		tui: {backup: {label: 'On failure', group: 'Nightly', help: 'run after a failed or cancelled backup, or a failed prune or push (sh -c)'}},
	},
	hookTimeout: {
		kind: 'string', value: 'S', commands: ['backup', 'tui'], default: String(defaultHookTimeoutMs / 1000),
		help: 'stop a hook still running after S seconds; a failing hook only warns',
		rule: raw => void parseHookTimeout(raw.hookTimeout),
		tui: {backup: {label: 'Hook max', group: 'Nightly', suffix: 's', help: `stop a hook still running after this many seconds (empty: ${defaultHookTimeoutMs / 1000})`}},
	},
} as const satisfies OptionTable<AfterBackupOptionValues>;
