import {Box, Text} from 'ink';
import type {BackupSummary} from '../../engine/types.js';
import {FieldRow} from '../components/field-row.js';
import {bytes, duration} from '../../format.js';
import {blockedWhere, methodLine} from '../../method-line.js';
import {symbols, useTheme} from '../theme.js';

/** The end of a backup: what it holds, how long it took, how long writes were blocked, what to know. */
export function BackupSummaryView({summary}: {summary: BackupSummary}) {
	const theme = useTheme();
	const stages = summary.stages.map(stage => `${stage.stage}: ${stage.files.toLocaleString('en-US')} files ${bytes(stage.bytes)} ${duration(stage.durationMs)}`).join(' · ');
	const size = summary.zipBytes === undefined ? bytes(summary.bytes) : `${bytes(summary.bytes)} (zip ${bytes(summary.zipBytes)})`;
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text color={theme.success} bold={theme.bold}>{symbols.done} Backup complete  100%</Text>
			<FieldRow label="Contents">{`${summary.files.toLocaleString('en-US')} files · ${size}`}</FieldRow>
			<FieldRow label="Time">{`${duration(summary.durationMs)}${summary.zipDurationMs ? ` (zipping ${duration(summary.zipDurationMs)})` : ''} · delay ${summary.delayMs} ms`}</FieldRow>
			<FieldRow label="Writes">{summary.writesBlocked ? `blocked for ${duration(summary.writesBlockedMs)} ${blockedWhere(summary)}` : 'not blocked (no freeze command)'}</FieldRow>
			{methodLine(summary) ? <FieldRow label="Method">{methodLine(summary)!.slice(2)}</FieldRow> : null}
			<FieldRow label="Stages">{stages}</FieldRow>
			{summary.over24h ? <Text color={theme.warning}>{symbols.warning} It ran longer than 24 hours: discard it, it may miss binaries.</Text> : null}
			{summary.warnings.slice(0, 3).map(warning => <Text key={warning} color={theme.warning} wrap="truncate-end">{symbols.warning} {warning}</Text>)}
			{summary.warnings.length > 3 ? <Text color={theme.warning}>{symbols.warning} and {summary.warnings.length - 3} more warnings</Text> : null}
		</Box>
	);
}
