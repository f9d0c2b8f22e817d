import {aemPreflight} from '../aem/preflight.js';
import {aemFreezer} from '../aem/freezer.js';
import {defaultFreezeTimeoutMs} from '../option-rules.js';
import type {BackupEvent, BackupOptions} from '../types.js';
import {commandFreezer, type Freezer} from './freezer.js';
import {maintenanceWarning} from './maintenance-window.js';

export interface ChosenFreezer {
	freezer: Freezer;
	/** What the operator should know before stage 1 (unread AEM statuses, --force, the maintenance window). */
	warnings: string[];
}

/**
 * The backup's freezer, chosen before anything is written: with --aem, AEM's own
 * switches once its statuses allow a backup (aemPreflight may refuse: exit 2);
 * otherwise the freeze and thaw commands, with a warning inside the maintenance window.
 */
export async function chooseFreezer(options: BackupOptions, env: {repo: string; target: string}, emit: (event: BackupEvent) => void): Promise<ChosenFreezer> {
	if (options.aem) {
		const {connection, warnings} = await aemPreflight(options.aem, options.freezeTimeoutMs ?? defaultFreezeTimeoutMs, options.force ?? false, options.signal);
		return {freezer: aemFreezer(connection, emit, options.signal), warnings};
	}
	const warning = maintenanceWarning(options.maintenanceWindow);
	return {freezer: commandFreezer(options, env, emit), warnings: warning ? [warning] : []};
}
