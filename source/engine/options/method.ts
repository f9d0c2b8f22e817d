import {usageError} from '../platform/errors.js';
import {defaultStopTimeoutMs, parseMethod, parseStopTimeout} from '../option-rules.js';
import type {BackupOptionValues} from './backup.js';
import type {OptionTable} from './option.js';

/** How the backup's copy is made (--method) and the commands each method runs. */
export interface MethodOptionValues {
	method: string;
	stopTimeout: string;
	snapshotCmd: string;
	snapshotReleaseCmd: string;
	stopCmd: string;
	startCmd: string;
}

// The rules read the backup's other options too (--freeze-cmd is refused with --method offline).
export const methodOptions = {
	method: {
		kind: 'string', value: 'online|snapshot|offline', commands: ['backup', 'tui'], default: 'online',
		help: 'online: four converging stages, stage 4 with writes blocked; snapshot: freeze, snapshot, thaw, copy the snapshot (btrfs, or --snapshot-cmd); offline: stop AEM, copy, start AEM (restarted right after a snapshot if any)',
		rule: raw => void parseMethod(raw.method),
	},
	stopTimeout: {
		kind: 'string', value: 'S', commands: ['backup', 'tui'], default: String(defaultStopTimeoutMs / 1000),
		help: 'offline: AEM must be down within S seconds or the backup aborts',
		rule: raw => void parseStopTimeout(raw.stopTimeout),
		tui: {backup: {label: 'Stop max', group: 'Method', suffix: 's', help: `offline: how long AEM may take to be down (empty: ${defaultStopTimeoutMs / 1000})`}},
	},
	snapshotCmd: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'],
		help: "snapshot/offline: makes and mounts a snapshot; prints the snapshot's path of the install folder",
		rule(raw) {
			if (raw.snapshotReleaseCmd && !raw.snapshotCmd) throw usageError('--snapshot-release-cmd needs --snapshot-cmd: there is no snapshot to release without one.');
			if (raw.snapshotCmd && parseMethod(raw.method) === 'online') throw usageError('--snapshot-cmd needs --method snapshot or offline: an online backup makes no snapshot.');
		},
		tui: {backup: {label: 'Snapshot cmd', group: 'Method', help: "snapshot/offline: makes a snapshot (LVM, ZFS…) and prints the install folder's path in it"}},
	},
	snapshotReleaseCmd: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'],
		help: 'releases it (its path in CRX_BACKUP_SNAPSHOT); always runs after the snapshot',
		tui: {backup: {label: 'Release cmd', group: 'Method', help: 'releases it afterwards; CRX_BACKUP_SNAPSHOT holds the path'}},
	},
	stopCmd: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'], default: 'crx-quickstart/bin/stop',
		help: 'offline: stops AEM',
		// Shown beside --stop-cmd in the TUI: the offline-only flags and the freeze an offline backup has no use for.
		rule(raw) {
			const method = parseMethod(raw.method);
			const offlineOnly = raw.stopCmd ? '--stop-cmd' : raw.startCmd ? '--start-cmd' : raw.stopTimeout !== undefined ? '--stop-timeout' : undefined;
			if (raw.freezeCmd && method === 'offline') throw usageError('--freeze-cmd is not used by --method offline: AEM is stopped, nothing writes.');
			if (offlineOnly && method !== 'offline') throw usageError(`${offlineOnly} needs --method offline: only an offline backup stops and starts AEM.`);
		},
		tui: {backup: {label: 'Stop cmd', group: 'Method', help: 'offline: stops AEM (empty: crx-quickstart/bin/stop)'}},
	},
	startCmd: {
		kind: 'string', value: 'CMD', commands: ['backup', 'tui'], default: 'crx-quickstart/bin/start',
		help: 'offline: starts AEM; always runs once the stop ran',
		tui: {backup: {label: 'Start cmd', group: 'Method', help: 'offline: starts AEM again, always once the stop ran (empty: crx-quickstart/bin/start)'}},
	},
} as const satisfies OptionTable<MethodOptionValues, Partial<MethodOptionValues & BackupOptionValues>>;
