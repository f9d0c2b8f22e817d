import type {BackupSummary} from '../engine/types.js';
import {duration} from './format.js';

/** Where the writes-blocked window was, in the summary's words (a summary or a manifest header: both name the method). */
export function blockedWhere(summary: Pick<BackupSummary, 'method'>): string {
	if (summary.method === 'snapshot') return 'across the snapshot';
	if (summary.method === 'offline') return 'while AEM was down';
	return 'in stage 4';
}

/** The summary's second line for a snapshot or offline backup: what the method cost (undefined for online, whose line says it all). */
export function methodLine(summary: BackupSummary): string | undefined {
	if (summary.method === 'online' || !summary.method) return undefined;
	const parts = [`method ${summary.method}`];
	if (summary.downtimeMs !== undefined) parts.push(`AEM down ${duration(summary.downtimeMs)}`);
	if (summary.snapshot) {
		parts.push(`${summary.snapshot.kind === 'btrfs' ? 'btrfs snapshot' : 'snapshot command'} took ${duration(summary.snapshot.createMs)}, ${summary.snapshot.released ? 'released' : 'NOT released'}`);
	}
	return `${summary.snapshot && !summary.snapshot.released ? '⚠' : '✔'} ${parts.join('; ')}.`;
}
