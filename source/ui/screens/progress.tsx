import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {JobProgress} from '../components/job-progress.js';
import {Screen} from '../components/screen.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {Paragraph} from '../components/paragraph.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useCancelConfirm} from '../hooks/use-cancel-confirm.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import {keymaps} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import {backupRowsFor, checklistRows, figures} from '../state/steps.js';
import {useColumns, useRows} from '../hooks/use-columns.js';
import {symbols, useTheme} from '../theme.js';
import {BackupSummaryView, summaryHeight} from './backup-summary.js';
import {AfterBackupLines, AfterBackupRunning, afterHeight} from '../components/after-backup-lines.js';
import {plansAnything} from '../../engine/index.js';
import {tuiWords} from '../options/tui-words.js';

interface Props extends Omit<ScreenProps, 'engine' | 'repository'> {
	backupJob: BackupJob;
}

/**
 * What a cancel leaves, by kind, said before and after: a zip's staging folder and partial
 * zip are removed, so nothing is left (an earlier zip of that name stays); a directory keeps what it copied,
 * marked in progress.
 */
const cancelQuestion = {
	zip: 'Cancel the backup? Its staging folder is removed, so nothing is left; an earlier zip of that name stays as it was.',
	directory: 'Cancel the backup? What was copied so far stays in the folder, marked in progress (incomplete).',
} as const;
const cancelledLine = {
	zip: 'Backup cancelled: nothing is left behind, and an earlier zip of that name is as it was.',
	directory: 'Backup cancelled: the folder is left marked in progress (incomplete); a backup into it again re-syncs it.',
} as const;

/** The running backup: checklist, bar, figures; then its summary or its failure. */
export function Progress({isActive, go, backupJob}: Props) {
	const theme = useTheme();
	const {status, options, store} = backupJob;
	const running = status === 'running';
	const snapshot = useProgressStore(store, running);
	const kind = options?.target.kind ?? 'zip';
	const cancel = useCancelConfirm(running, () => backupJob.cancel(), cancelQuestion[kind]);
	const blocks = Boolean(options?.freezeCmd || options?.aem);
	const rowsTemplate = useMemo(() => backupRowsFor(kind, blocks, options?.method), [kind, blocks, options?.method]);
	const allRows = checklistRows(rowsTemplate, snapshot, status);
	// A finished backup's checklist folds into one line when its summary (and the nightly steps' lines) would not
	// fit under it on this terminal: the summary is what matters now, and `l` still has every step.
	const [height, columns] = [useRows(), useColumns()];
	const result = backupJob.result;
	// Title, blank, target, blank, the rows, the summary, the nightly lines, the key bar.
	const needed = 4 + allRows.length + (result ? summaryHeight(result, snapshot?.completed ?? [], columns) + afterHeight(result.after) : 0) + 1;
	const compact = status === 'done' && height < needed;
	const rows = compact ? [{key: 'all', label: `${allRows.length} steps (l: each one)`, state: 'done' as const, detail: figures(snapshot?.completed ?? [])}] : allRows;

	const {keymap, handlers} = cancel.bind(
		running ? keymaps.progressRunning : keymaps.progressFinished,
		running ? {back: () => go({screen: 'home'})} : {confirm: () => go({screen: 'backups'}), back: () => go({screen: 'home'})},
	);
	const bar = useKeymap(keymap, handlers, {isActive});

	const header = (
		<>
			{options ? (
				<Box>
					<Text dimColor={theme.muted}>{options.target.kind === 'zip' ? 'zip  ' : 'dir  '}</Text>
					<Box flexShrink={1}><TruncatedPath path={options.target.path} /></Box>
				</Box>
			) : <Text>No backup has run yet.</Text>}
		</>
	);

	return (
		<Screen title="Backup Progress" keys={bar}>
			<JobProgress runId={`backup-${backupJob.run}`} header={header} rows={rows} snapshot={snapshot} running={running} />
			{/* Also wait for the snapshot that holds the last step-end: the promise settles a render before
			    it arrives, and the summary must not show under a step still spinning. */}
			{status === 'done' && backupJob.result && snapshot?.done ? (
				<>
					<BackupSummaryView summary={backupJob.result} completed={snapshot.completed} />
					<AfterBackupLines plan={options?.after} result={backupJob.result.after} />
				</>
			) : null}
			{running && snapshot?.done && plansAnything(options?.after) ? <AfterBackupRunning plan={options.after} /> : null}
			{status === 'failed' || status === 'cancelled' ? (
				<Box marginTop={1}><Paragraph color={theme.error} text={`${symbols.failed} ${status === 'cancelled' ? cancelledLine[kind] : `Backup failed: ${tuiWords(backupJob.error ?? '')}`}`} /></Box>
			) : null}
			{cancel.prompt}
		</Screen>
	);
}
