import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import type {ProgressSnapshot} from '../../progress/progress-store.js';
import {bytes, bytesOfTotal, duration, filesOfTotal, rate} from '../../words/format.js';
import {useColumns} from '../hooks/use-columns.js';
import {symbols, useTheme} from '../theme.js';
import {ChecklistLine, type ChecklistRow} from './checklist.js';
import {ProgressBar} from './progress-bar.js';

interface Props {
	/** Kept for callers; the rows are drawn in the normal tree now, so nothing is keyed by run. */
	runId?: string;
	/** Drawn above the rows (the screen's title and target). */
	header: ReactNode;
	rows: readonly ChecklistRow[];
	snapshot?: ProgressSnapshot;
	/** The live part (bar, rate, file) is shown only while the job runs. */
	running: boolean;
}

/**
 * A job's header, its checklist and, while it runs, the bar and figures, all in
 * the normal tree: the TUI runs full screen in the alternate buffer, so nothing
 * goes to <Static> (whose output piled up above every later screen).
 * The rows redraw from ~10 Hz store snapshots.
 */
export function JobProgress({header, rows, snapshot, running}: Props) {
	const columns = useColumns();
	return (
		<Box flexDirection="column" width={columns}>
			<Box flexDirection="column" marginBottom={1}>{header}</Box>
			{rows.map(row => <ChecklistLine key={row.key} row={row} width={columns} />)}
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
			{snapshot.aem === 'stopping' ? <Text color={theme.warning}>{symbols.warning} Stopping AEM: the copy starts once its JVM has exited.</Text> : null}
			{snapshot.aem === 'starting' ? <Text>{symbols.running} Starting AEM again.</Text> : null}
			<Text dimColor={theme.muted} wrap="truncate-middle">{snapshot.file ?? ' '}</Text>
		</Box>
	);
}

function statsLine(snapshot: ProgressSnapshot): string {
	// While AEM stops nothing is copied yet: the line under the bar says so, not "0 B so far".
	if (snapshot.aem === 'stopping' && snapshot.bytesDone === 0) return `${duration(snapshot.elapsedMs)} elapsed`;
	// No total (one of AEM's zips being verified: no manifest): only what was done.
	// A backup stage's totals are the count made before it: "1/~62 files", never a done count above its total.
	const ofTotal = bytesOfTotal(snapshot);
	const parts = [ofTotal ? `step ${ofTotal}` : `${bytes(snapshot.bytesDone)} so far`];
	const files = filesOfTotal(snapshot);
	if (files) parts.push(files);
	// Blank until known: no "0 B/s" before a rate is measured, no "ETA 0 ms" (nothing left, or no guess).
	if (snapshot.rate !== undefined) parts.push(rate(snapshot.rate));
	if (snapshot.etaMs !== undefined) parts.push(`ETA ${duration(snapshot.etaMs)}`);
	parts.push(`${duration(snapshot.elapsedMs)} elapsed`);
	return parts.join(' · ');
}
