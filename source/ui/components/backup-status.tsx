import {Text} from 'ink';
import type {BackupRecord, VerifyResult} from '../../engine/types.js';
import {symbols, useTheme, type Theme} from '../theme.js';

type Tone = 'success' | 'error' | 'warning' | 'accent';

/**
 * A backup's status as a symbol and a word; the seed says to discard one that ran over 24 hours.
 * A zip at its final name that cannot be read is damaged, not incomplete: crx-backup renames a zip
 * into place only once it is whole (a zip being written is a .partial). A verify that found
 * problems (or could not read it) overrides "complete" until the list is read again.
 */
/** A leftover in the Status column's 16 columns after its symbol ("leftover partial-zip" was cut to "leftove…tial-zip"). */
const leftoverWord: Record<NonNullable<BackupRecord['leftover']>, string> = {
	staging: 'leftover staging',
	'partial-zip': 'leftover partial',
	'restore-staging': 'leftover restore',
	deleting: 'half deleted',
};

export function statusOf(record: BackupRecord, verified?: VerifyResult | 'unreadable', percent?: number): {symbol: string; word: string; tone: Tone} {
	if (verified === 'unreadable' || (verified && !verified.ok)) return {symbol: symbols.failed, word: 'damaged (verify)', tone: 'error'};
	if (record.status === 'incomplete' && record.kind === 'zip' && !record.leftover) return {symbol: symbols.failed, word: 'damaged', tone: 'error'};
	if (record.status === 'install') return {symbol: symbols.install, word: record.install?.restored ? 'restored install' : 'install', tone: 'accent'};
	// `percent`: this TUI's own backup, read from its progress store (floored, as the bar is: 100 % means done).
	if (record.status === 'running') return {symbol: symbols.running, word: percent === undefined ? 'running' : `running ${Math.floor(percent)} %`, tone: 'accent'};
	if (record.status === 'incomplete') return {symbol: symbols.failed, word: record.leftover ? leftoverWord[record.leftover] : 'incomplete', tone: 'error'};
	if (record.over24h) return {symbol: symbols.warning, word: 'over 24 h', tone: 'warning'};
	return {symbol: symbols.done, word: 'complete', tone: 'success'};
}

export const toneColour = (theme: Theme, tone: Tone): string | undefined => theme[tone];

export function BackupStatus({record, percent}: {record: BackupRecord; percent?: number}) {
	const theme = useTheme();
	const status = statusOf(record, undefined, percent);
	return <Text color={toneColour(theme, status.tone)}>{status.symbol} {status.word}</Text>;
}

/** Newest first, by creation time. */
export const newestFirst = (records: readonly BackupRecord[]): BackupRecord[] =>
	[...records].sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
