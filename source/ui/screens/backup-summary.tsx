import {Box, Text} from 'ink';
import type {BackupSummary} from '../../engine/types.js';
import type {CompletedStep} from '../../progress/progress-store.js';
import {FieldRow} from '../components/field-row.js';
import {Paragraph} from '../components/paragraph.js';
import {bytes, duration} from '../../words/format.js';
import {blockedWhere, methodLine} from '../../words/method-line.js';
import {tuiWords} from '../options/tui-words.js';
import {symbols, useTheme} from '../theme.js';
import {wrapLines} from '../wrap.js';

/** The end of a backup: what it holds, how long it took, how long writes were blocked, what to know. */
/** A re-sync's counts: stage 1 against the previous backup, copies and deletes over all stages. Undefined for a fresh backup. */
export function resyncLine(completed: readonly CompletedStep[]): string | undefined {
	const first = completed.filter(c => typeof c.step !== 'string' && c.step.stage === 1);
	const unchanged = first.reduce((sum, c) => sum + c.unchanged, 0);
	const deleted = completed.reduce((sum, c) => sum + c.deleted, 0);
	// Stage 1 alone says whether there was a previous backup: a fresh one whose stage 4 saw a file go (the demo's
	// compaction) is not a re-sync ("copied 460 · deleted 1 · unchanged 0 since the last backup" on a new zip).
	if (unchanged === 0 && first.every(c => c.deleted === 0)) return undefined;
	const copied = completed.filter(c => typeof c.step !== 'string' && c.step.stage !== 'zip').reduce((sum, c) => sum + c.files, 0);
	const count = (n: number) => n.toLocaleString('en-US');
	// Words first, as the stage rows say them: the two never read in different orders on one screen.
	return `copied ${count(copied)} · deleted ${count(deleted)} · unchanged ${count(unchanged)} since the last backup`;
}

/** How many rows BackupSummaryView takes at this width (its top margin included), so Progress can tell whether the checklist fits above it. */
export function summaryHeight(summary: BackupSummary, completed: readonly CompletedStep[], columns: number): number {
	const resync = resyncLine(completed);
	const shown = summary.warnings.slice(0, 3).reduce((rows, warning) => rows + wrapLines(`${symbols.warning} ${warning}`, columns).length, 0);
	return 6 + (resync ? wrapLines(resync, columns - 14).length : 0) + (methodLine(summary) ? 1 : 0) + (summary.over24h ? 1 : 0) + shown + (summary.warnings.length > 3 ? 1 : 0);
}

export function BackupSummaryView({summary, completed = []}: {summary: BackupSummary; completed?: readonly CompletedStep[]}) {
	const theme = useTheme();
	const resync = resyncLine(completed);
	const stages = summary.stages.map(stage => `${stage.stage}: ${stage.files.toLocaleString('en-US')} files ${bytes(stage.bytes)} ${duration(stage.durationMs)}`).join(' · ');
	const size = summary.zipBytes === undefined ? bytes(summary.bytes) : `${bytes(summary.bytes)} (zip ${bytes(summary.zipBytes)})`;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text color={theme.success} bold={theme.bold}>{symbols.done} Backup complete  100%</Text>
			<FieldRow label="Contents">{`${summary.files.toLocaleString('en-US')} files · ${size}`}</FieldRow>
			{/* A sentence: it wraps (at 60 columns "since the last backup" was cut). */}
			{resync ? <FieldRow label="Re-sync"><Paragraph indent={14} text={resync} /></FieldRow> : null}
			<FieldRow label="Time">{`${duration(summary.durationMs)}${summary.zipDurationMs ? ` (zipping ${duration(summary.zipDurationMs)})` : ''} · delay ${summary.delayMs} ms`}</FieldRow>
			<FieldRow label="Writes">{summary.writesBlocked ? `blocked for ${duration(summary.writesBlockedMs)} ${blockedWhere(summary)}` : summary.writesBlockingNotConfirmed ? 'blocking not confirmed by AEM' : 'not blocked (no freeze command)'}</FieldRow>
			{methodLine(summary) ? <FieldRow label="Method">{methodLine(summary)!.slice(2).replace(/^method /, '')}</FieldRow> : null}
			<FieldRow label="Stages">{stages}</FieldRow>
			{summary.over24h ? <Text color={theme.warning}>{symbols.warning} It ran longer than 24 hours: discard it, it may miss binaries.</Text> : null}
			{summary.warnings.slice(0, 3).map(warning => <Paragraph key={warning} color={theme.warning} text={`${symbols.warning} ${tuiWords(warning)}`} />)}
			{summary.warnings.length > 3 ? <Text color={theme.warning}>{symbols.warning} and {summary.warnings.length - 3} more warnings</Text> : null}
		</Box>
	);
}
