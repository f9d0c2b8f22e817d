import {Box, Text} from 'ink';
import {useEffect, type ReactNode} from 'react';
import type {ProgressSnapshot} from '../../progress/progress-store.js';
import {bytes, duration, rate} from '../../format.js';
import {useColumns} from '../hooks/use-columns.js';
import {symbols, useTheme} from '../theme.js';
import {ChecklistLine, type ChecklistRow} from './checklist.js';
import {ProgressBar} from './progress-bar.js';
import {useStaticLog} from './static-log.js';

interface Props {
	/** Tells this run's log items from an earlier run's (the job's run number). */
	runId: string;
	/** Written once, above everything (the screen's title and target). */
	header: ReactNode;
	rows: readonly ChecklistRow[];
	snapshot?: ProgressSnapshot;
	/** The live part (bar, rate, file) is shown only while the job runs. */
	running: boolean;
}

/**
 * Ink's pattern for long jobs: the header and finished steps go into <Static>
 * (the app's static log) and are written once; only the running step, the bar
 * and the current file are redrawn, from ~10 Hz store snapshots.
 */
export function JobProgress({runId, header, rows, snapshot, running}: Props) {
	const columns = useColumns();
	// Done rows form a prefix that only grows (checklistRows moves forward only), which <Static> requires.
	const doneCount = rows.findIndex(row => row.state !== 'done');
	const done = doneCount === -1 ? rows : rows.slice(0, doneCount);
	const live = rows.slice(done.length);
	const log = useStaticLog();
	const doneKeys = done.map(row => row.key).join(',');
	useEffect(() => {
		log([
			{id: `${runId}:header`, node: <Box flexDirection="column" marginBottom={1}>{header}</Box>},
			...done.map(row => ({id: `${runId}:${row.key}`, node: <ChecklistLine row={row} width={columns} />})),
		]);
	}, [runId, doneKeys]); // eslint-disable-line react-hooks/exhaustive-deps
	return (
		<Box flexDirection="column" width={columns}>
			{live.map(row => <ChecklistLine key={row.key} row={row} width={columns} />)}
			{snapshot && running ? <ProgressFigures snapshot={snapshot} /> : null}
		</Box>
	);
}

/** The live part of a running job: bar, figures, the blocked-writes warning, the file in hand. */
export function ProgressFigures({snapshot}: {snapshot: ProgressSnapshot}) {
	const theme = useTheme();
	const columns = useColumns();
	return (
		<Box flexDirection="column" marginTop={1}>
			<ProgressBar percent={snapshot.percent} width={columns} />
			<Text wrap="truncate-end">{statsLine(snapshot)}</Text>
			{snapshot.writesBlocked ? <Text color={theme.warning}>{symbols.warning} Repository writes are blocked (stage 4).</Text> : null}
			<Text dimColor={theme.muted} wrap="truncate-middle">{snapshot.file ?? ' '}</Text>
		</Box>
	);
}

function statsLine(snapshot: ProgressSnapshot): string {
	// No total (one of AEM's zips being verified: no manifest): only what was done.
	const parts = [snapshot.bytesTotal > 0 ? `step ${bytes(snapshot.bytesDone)} of ${bytes(snapshot.bytesTotal)}` : `${bytes(snapshot.bytesDone)} so far`];
	if (snapshot.filesTotal > 0) parts.push(`${snapshot.filesDone.toLocaleString('en-US')}/${snapshot.filesTotal.toLocaleString('en-US')} files`);
	else if (snapshot.filesDone > 0) parts.push(`${snapshot.filesDone.toLocaleString('en-US')} files`);
	parts.push(rate(snapshot.rate));
	parts.push(snapshot.etaMs === undefined ? 'ETA …' : `ETA ${duration(snapshot.etaMs)}`);
	parts.push(`${duration(snapshot.elapsedMs)} elapsed`);
	return parts.join(' · ');
}
