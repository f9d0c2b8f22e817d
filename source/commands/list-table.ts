import type {BackupRecord, ResticSnapshot} from '../engine/types.js';
import {bytes, printableName} from '../words/format.js';

/** Status with a symbol, so colour is never the only signal (there is none here: plain text for pipes and NO_COLOR alike). */
export function statusLabel(record: BackupRecord): string {
	if (record.status === 'install') return record.install?.restored ? '◆ restored install' : '◆ install';
	const status = {complete: '✔ complete', incomplete: '✖ incomplete', running: '… running'}[record.status];
	return record.over24h ? `${status} ⚠ over 24 h` : status;
}

function kindLabel(record: BackupRecord): string {
	if (record.leftover === 'staging') return 'zip (staging)';
	if (record.leftover === 'partial-zip') return 'zip (partial)';
	if (record.leftover === 'restore-staging') return 'restore (staging)';
	if (record.leftover === 'deleting') return `${record.kind} (being deleted)`;
	return record.kind;
}

/** Local time to the minute: what an operator compares with the clock on the wall. */
function createdLabel(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const pad = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function truncate(text: string, width: number): string {
	return text.length <= width ? text : `…${text.slice(text.length - width + 1)}`;
}

/** A backup outside a --link-dest chain adds all it holds; a leftover or an install, nothing worth a figure. */
function addsLabel(record: BackupRecord): string {
	if (record.addedBytes !== undefined) return bytes(record.addedBytes);
	return record.status === 'complete' && !record.leftover ? bytes(record.bytes) : '';
}

/** An aligned table, one backup a row, names cut (from the left) so a row fits `columns`. */
export function formatTable(records: BackupRecord[], columns = 80): string {
	// ADDS only when a --link-dest chain is listed: what each backup's own files take (shared hard links not counted).
	const chain = records.some(record => record.addedBytes !== undefined);
	const rows = records.map(record => [printableName(record.name), kindLabel(record), bytes(record.bytes), ...(chain ? [addsLabel(record)] : []), createdLabel(record.created), statusLabel(record)]);
	const header = ['NAME', 'KIND', 'SIZE', ...(chain ? ['ADDS'] : []), 'CREATED', 'STATUS'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const others = widths.slice(1).reduce((sum, width) => sum + width + 2, 0);
	widths[0] = Math.max(12, Math.min(widths[0]!, columns - others));
	const line = (row: string[]) => row.map((cell, column) => {
		const text = column === 0 ? truncate(cell, widths[0]!) : cell;
		return column === row.length - 1 ? text : text.padEnd(widths[column]!);
	}).join('  ');
	return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The crx-backup snapshots of a restic repository, restorable as restic:REPO#ID. */
export function formatSnapshots(repo: string, snapshots: ResticSnapshot[]): string {
	if (snapshots.length === 0) return `No crx-backup snapshots in restic repository ${repo}.\n`;
	const rows = snapshots.map(snapshot => [snapshot.shortId, createdLabel(snapshot.time), printableName(snapshot.backup ?? ''), printableName(snapshot.source ?? '')]);
	const header = ['SNAPSHOT', 'CREATED', 'BACKUP', 'REPOSITORY'];
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (row: string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
	return [`restic repository ${repo} (restore one with restic:${repo}#SNAPSHOT):`, line(header), ...rows.map(line), ''].join('\n') + '\n';
}
