import {defaultFreezeTimeoutMs, maxDelayMs} from '../../engine/index.js';

/**
 * The CLI's options as the TUI offers them: one descriptor per option, as data,
 * so an option is added to a form with one line here (its rule goes into
 * engine/option-rules.ts, its flag into cli.tsx). `key` is the option's name in
 * the CLI's Flags and in the raw options the engine checks; `flag` is how it is
 * typed, shown in the help line so the TUI and `--help` use the same words.
 *  - text: one value, as typed; empty means "not given" (the CLI's default).
 *  - list: a repeatable flag, typed comma-separated (`--exclude a --exclude b` is `a, b`).
 *  - toggle: a boolean flag, Space ticks it.
 */
export type OptionKind = 'text' | 'list' | 'toggle';

export interface OptionDescriptor {
	key: string;
	flag: string;
	label: string;
	kind: OptionKind;
	/** One line under the field while it has focus. */
	help: string;
	/** Shown after the value, e.g. "ms". */
	suffix?: string;
	/** Shown even while the Options section is closed (the delay: the option most backups set). */
	always?: boolean;
}

export const backupOptionDescriptors = [
	{key: 'delay', flag: '--delay', label: 'Delay', kind: 'text', suffix: 'ms', always: true, help: `throttles stages 1 and 2: whole ms from 0 to ${maxDelayMs}`},
	{key: 'exclude', flag: '--exclude', label: 'Exclude', kind: 'list', help: 'paths inside crx-quickstart to leave out, comma-separated (index and cache always are)'},
	{key: 'freezeCmd', flag: '--freeze-cmd', label: 'Freeze cmd', kind: 'text', help: 'blocks repository writes before stage 4 (run with sh -c)'},
	{key: 'thawCmd', flag: '--thaw-cmd', label: 'Thaw cmd', kind: 'text', help: 'unblocks them after stage 4; always runs once the freeze ran'},
	{key: 'freezeTimeout', flag: '--freeze-timeout', label: 'Freeze max', kind: 'text', suffix: 's', help: `stop a freeze command still running after this many seconds (empty: ${defaultFreezeTimeoutMs / 1000})`},
	{key: 'force', flag: '--force', label: 'Force', kind: 'toggle', help: 'start even without enough free space at the target (or while AEM runs a backup or GC)'},
	{key: 'aem', flag: '--aem', label: 'AEM URL', kind: 'text', help: "AEM's address: its JMX switches block and unblock writes (password: CRX_BACKUP_AEM_PASSWORD or ~/.netrc)"},
	{key: 'aemUser', flag: '--aem-user', label: 'AEM user', kind: 'text', help: 'the user for --aem (empty: the .netrc login, else admin)'},
	{key: 'maintenanceWindow', flag: '--maintenance-window', label: 'Maint. win', kind: 'text', help: 'without --aem, warn when starting inside it: HH:MM-HH:MM, or none (empty: 02:00-05:00)'},
	{key: 'snapshotCmd', flag: '--snapshot-cmd', label: 'Snapshot cmd', kind: 'text', help: "snapshot/offline: makes a snapshot (LVM, ZFS…) and prints the install folder's path in it"},
	{key: 'snapshotReleaseCmd', flag: '--snapshot-release-cmd', label: 'Release cmd', kind: 'text', help: 'releases it afterwards; CRX_BACKUP_SNAPSHOT holds the path'},
	{key: 'stopCmd', flag: '--stop-cmd', label: 'Stop cmd', kind: 'text', help: 'offline: stops AEM (empty: crx-quickstart/bin/stop)'},
	{key: 'startCmd', flag: '--start-cmd', label: 'Start cmd', kind: 'text', help: 'offline: starts AEM again, always once the stop ran (empty: crx-quickstart/bin/start)'},
	{key: 'stopTimeout', flag: '--stop-timeout', label: 'Stop max', kind: 'text', suffix: 's', help: 'offline: how long AEM may take to be down (empty: 600)'},
	{key: 'datastore', flag: '--datastore', label: 'Datastore', kind: 'text', help: "the external FileDataStore's folder (empty: as its OSGi configuration says)"},
	{key: 'noExternalDatastore', flag: '--no-external-datastore', label: 'Skip ext. DS', kind: 'toggle', help: 'leave an external datastore out: the backup is then not restorable on its own'},
	{key: 'filesOnly', flag: '--files-only', label: 'Files only', kind: 'toggle', help: 'back up the files although nodes or binaries live in MongoDB, S3 or Azure'},
	{key: 'linkDest', flag: '--link-dest', label: 'Link dest', kind: 'text', help: 'directory backups: hard-link files unchanged since this complete directory backup'},
	{key: 'incremental', flag: '--incremental', label: 'Incremental', kind: 'toggle', help: 'the same, with the newest complete directory backup beside the target'},
	// After a good backup: prune, push, then the hook (the CLI's nightly steps, run by the same engine call).
	{key: 'keepLast', flag: '--keep-last', label: 'Keep last', kind: 'text', help: 'after a good backup, prune: keep the newest N backups of this repository (empty: no rule)'},
	{key: 'keepHourly', flag: '--keep-hourly', label: 'Keep hourly', kind: 'text', help: 'keep the newest backup of each of the last N hours that have one'},
	{key: 'keepDaily', flag: '--keep-daily', label: 'Keep daily', kind: 'text', help: 'keep the newest backup of each of the last N days that have one'},
	{key: 'keepWeekly', flag: '--keep-weekly', label: 'Keep weekly', kind: 'text', help: 'keep the newest backup of each of the last N ISO weeks that have one'},
	{key: 'keepMonthly', flag: '--keep-monthly', label: 'Keep monthly', kind: 'text', help: 'keep the newest backup of each of the last N months that have one'},
	{key: 'push', flag: '--push', label: 'Push to', kind: 'text', help: 'after a good backup (and its prune), push it to this restic repository (password: RESTIC_PASSWORD_FILE)'},
	{key: 'onSuccess', flag: '--on-success', label: 'On success', kind: 'text', help: 'run after a good backup, its prune and push (sh -c; CRX_BACKUP_STATUS, _TARGET, _SUMMARY set)'},
	{key: 'onFailure', flag: '--on-failure', label: 'On failure', kind: 'text', help: 'run after a failed or cancelled backup, or a failed prune or push (sh -c)'},
	{key: 'hookTimeout', flag: '--hook-timeout', label: 'Hook max', kind: 'text', suffix: 's', help: 'stop a hook still running after this many seconds (empty: 60)'},
] as const satisfies readonly OptionDescriptor[];

export const restoreOptionDescriptors = [
	{key: 'deleteIndex', flag: '--delete-index', label: 'Delete crx-quickstart/repository/index after restoring', kind: 'toggle', help: 'AEM rebuilds the index at start-up; the backup never holds it.'},
	{key: 'only', flag: '--only', label: 'Only', kind: 'list', help: 'restore only these subtrees, comma-separated (empty: everything)'},
	{key: 'force', flag: '--force', label: 'Force: restore a directory backup still marked in progress', kind: 'toggle', help: 'a backup marked in progress may be incomplete.'},
	{key: 'pointConfig', flag: '--point-config', label: 'Point the FileDataStore configuration at the restored datastore', kind: 'toggle', help: "rewrites the restored config's path (only with an external datastore)"},
] as const satisfies readonly OptionDescriptor[];

type KeysOfKind<List extends readonly OptionDescriptor[], Kind extends OptionKind> = Extract<List[number], {kind: Kind}>['key'];
export type BackupTextOption = KeysOfKind<typeof backupOptionDescriptors, 'text' | 'list'>;
export type BackupToggleOption = KeysOfKind<typeof backupOptionDescriptors, 'toggle'>;
export type RestoreTextOption = KeysOfKind<typeof restoreOptionDescriptors, 'text' | 'list'>;
export type RestoreToggleOption = KeysOfKind<typeof restoreOptionDescriptors, 'toggle'>;

/** A list field's text as the repeated flag's values: split on commas, blanks dropped. */
export const listValues = (text: string): string[] => text.split(',').map(part => part.trim()).filter(part => part !== '');

/** A text field's value as the flag: undefined when empty, so the CLI's default applies. */
export const textOption = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

/** What the command line gave, as a field's starting text (lists joined with commas). */
export function prefillText(value: unknown): string {
	if (Array.isArray(value)) return value.join(', ');
	return typeof value === 'string' ? value : '';
}

export const descriptorOf = (list: readonly OptionDescriptor[], key: string): OptionDescriptor | undefined => list.find(option => option.key === key);
