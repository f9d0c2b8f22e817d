import type {MaintenanceWindow} from '../backup/maintenance-window.js';
import {parseMaintenanceWindow} from '../backup/maintenance-window.js';
import {checkDatastore, checkLinkDest, parseAemUrl, parseDelay, parseFreezeTimeout, parseHookTimeout, parseMethod, parseRetention, parseStartTimeout, parseStopTimeout} from '../option-rules.js';
import {usageError} from '../platform/errors.js';
import {checkResticRepo} from '../restic/restic-process.js';
import type {AfterBackupPlan, BackupOptions} from '../types.js';
import {afterBackupOptions} from './after-backup.js';
import {backupOptions} from './backup.js';
import {methodOptions} from './method.js';
import type {RawBackupOptions} from './registry.js';

/** What the engine's BackupOptions has that the options do not set: the run's own inputs. */
type RunInputs = 'repository' | 'target' | 'force' | 'signal' | 'onEvent';
/** The options checkBackupOptions always fills in with their defaults. */
type Defaulted = 'delayMs' | 'freezeTimeoutMs' | 'exclude' | 'externalDatastore' | 'filesOnly' | 'method' | 'stopTimeoutMs';

/** The backup's options, checked, with every default filled in: BackupOptions without the run's own inputs. */
export type CheckedBackupOptions = Omit<BackupOptions, RunInputs | Defaulted | 'maintenanceWindow'> & Required<Pick<BackupOptions, Defaulted>> & {
	/** The window a backup without --aem warns about starting in; null: none. */
	maintenanceWindow: MaintenanceWindow | null;
};

type Rule = (raw: RawBackupOptions) => void;

/**
 * One rule per option, keyed by the option it is shown beside, in the order they run: the registry's
 * (options/backup.ts, method.ts, after-backup.ts). The CLI runs them all (checkBackupOptions); the TUI's
 * Create form runs each one under its own field as the operator types.
 */
export const backupOptionRules: {readonly [Key in keyof RawBackupOptions]?: Rule} = Object.fromEntries(
	[backupOptions, methodOptions, afterBackupOptions].flatMap(table => Object.entries(table))
		.flatMap(([key, entry]) => ('rule' in entry ? [[key, entry.rule as Rule]] : [])),
);

/**
 * The one place that turns the backup's options as typed into checked ones (restic's Options.ApplyDefaults):
 * the CLI's backup and estimate, the TUI's Create form and its defaults all come through here. Every rule runs
 * first, in the registry's order, and the first refusal is thrown as a usage error.
 */
export function checkBackupOptions(raw: RawBackupOptions): CheckedBackupOptions {
	for (const rule of Object.values(backupOptionRules)) rule?.(raw);
	const aemUrl = parseAemUrl(raw.aem);
	const aem = aemUrl ? {url: aemUrl, user: raw.aemUser?.trim() || undefined} : undefined;
	return {
		delayMs: parseDelay(raw.delay), freezeCmd: raw.freezeCmd, thawCmd: raw.thawCmd, freezeTimeoutMs: parseFreezeTimeout(raw.freezeTimeout),
		exclude: raw.exclude ?? [], aem, maintenanceWindow: parseMaintenanceWindow(raw.maintenanceWindow),
		datastore: checkDatastore(raw), externalDatastore: raw.externalDatastore !== false, filesOnly: raw.filesOnly === true,
		...checkLinkDest(raw.linkDest, raw.incremental),
		method: parseMethod(raw.method), snapshotCmd: raw.snapshotCmd, snapshotReleaseCmd: raw.snapshotReleaseCmd,
		stopCmd: raw.stopCmd, startCmd: raw.startCmd, stopTimeoutMs: parseStopTimeout(raw.stopTimeout),
	};
}

/** The nightly steps as typed, checked: what afterBackup (monitor/after-backup.ts) runs once the backup's outcome is known. */
export function checkAfterBackup(raw: RawBackupOptions): AfterBackupPlan {
	return {
		policy: parseRetention(raw), hookTimeoutMs: parseHookTimeout(raw.hookTimeout),
		...(raw.push === undefined ? {} : {push: checkResticRepo(raw.push, '--push')}),
		...(raw.onSuccess ? {onSuccess: raw.onSuccess} : {}),
		...(raw.onFailure ? {onFailure: raw.onFailure} : {}),
		...drillPlan(raw),
	};
}

/** backup --drill and the drill's own flags, which mean nothing without it. */
function drillPlan(raw: RawBackupOptions): Pick<AfterBackupPlan, 'drill'> {
	if (!raw.drill) {
		const stray = raw.startTimeout !== undefined ? '--start-timeout' : raw.allowNetwork ? '--allow-network' : undefined;
		if (stray) throw usageError(`${stray} needs --drill: without it the backup starts no drill.`);
		return {};
	}
	return {drill: {startTimeoutMs: parseStartTimeout(raw.startTimeout), ...(raw.allowNetwork ? {allowNetwork: true} : {})}};
}
