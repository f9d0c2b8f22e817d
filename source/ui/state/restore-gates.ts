import path from 'node:path';
import type {BackupRecord, RestorePlan} from '../../engine/types.js';

/**
 * Why a backup cannot be restored at all, whatever the options: a running backup
 * (still being written), a leftover or an install, a zip the engine cannot read.
 * The Backups screen refuses `r` with it up front; the wizard refuses to leave
 * the destination and options steps while it holds (a truncated
 * zip showed ✖ on step 3 and Enter still went on to confirm, then failed).
 */
export function backupRefusal(record: BackupRecord | undefined, planError?: string): string | undefined {
	if (record) {
		const name = path.basename(record.path);
		if (record.status === 'running') return `${name} is still being written by a running backup: restore it once it has finished.`;
		if (record.status === 'install') return `${name} is an install, not a backup: choose a backup to restore.`;
		if (record.leftover) return `${name} is a leftover of a backup that never finished, not a backup to restore.`;
		if (record.status === 'incomplete' && record.kind === 'zip') return `${name} cannot be read as a zip: it is damaged or incomplete; verify it (v on Backups) or choose another.`;
	}
	return planError;
}

/** What the options step waits for or refuses: the backup's own refusal, its plan still loading, an in-progress backup without Force. */
export function optionsRefusal(refusal: string | undefined, plan: {loading: boolean; value?: RestorePlan}, force: boolean): string | undefined {
	if (refusal) return refusal;
	if (plan.loading || !plan.value) return 'still reading the backup: Enter works once it is read.';
	if (plan.value.inProgress && !force) return 'This directory backup is still marked in progress and may be incomplete: tick Force (Space) to restore it anyway.';
	if (plan.value.over24h && !force) return 'This backup ran longer than 24 hours, and AEM says to discard such a backup (it may miss binaries): tick Force (Space) to restore it anyway.';
	return undefined;
}
