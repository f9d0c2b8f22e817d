import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {JobProgress} from '../components/job-progress.js';
import {KeyBar} from '../components/key-bar.js';
import {Title} from '../components/screen.js';
import {TruncatedPath} from '../components/truncated-path.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useCancelConfirm} from '../hooks/use-cancel-confirm.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import {keymaps} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import {backupStepRows, checklistRows} from '../state/steps.js';
import {symbols, useTheme} from '../theme.js';
import {BackupSummaryView} from './backup-summary.js';

interface Props extends Omit<ScreenProps, 'engine' | 'repository'> {
	backupJob: BackupJob;
}

/** The running backup: checklist, bar, figures; then its summary or its failure. */
export function Progress({isActive, go, backupJob}: Props) {
	const theme = useTheme();
	const {status, options, store} = backupJob;
	const running = status === 'running';
	const snapshot = useProgressStore(store, running);
	const cancel = useCancelConfirm(running, () => backupJob.cancel(), 'Cancel the backup? What was copied so far is left as an incomplete backup.');
	const kind = options?.target.kind ?? 'zip';
	// A snapshot or offline backup is one pass (stage 1 only): no rows for stages 2–4.
	const onePass = Boolean(options?.method && options.method !== 'online');
	const rowsTemplate = useMemo(() => backupStepRows(kind, Boolean(options?.freezeCmd)).filter(row => !onePass || !['2', '3', '4'].includes(row.key)), [kind, options?.freezeCmd, onePass]);
	const rows = checklistRows(rowsTemplate, snapshot, status);

	const {keymap, handlers} = cancel.bind(
		running ? keymaps.progressRunning : keymaps.progressFinished,
		running ? {back: () => go({screen: 'home'})} : {confirm: () => go({screen: 'backups'}), back: () => go({screen: 'home'})},
	);
	const bar = useKeymap(keymap, handlers, {isActive});

	const header = (
		<>
			<Title text="Backup Progress" />
			{options ? (
				<Box>
					<Text dimColor={theme.muted}>{options.target.kind === 'zip' ? 'zip  ' : 'dir  '}</Text>
					<Box flexShrink={1}><TruncatedPath path={options.target.path} /></Box>
				</Box>
			) : <Text>No backup has run yet.</Text>}
		</>
	);

	return (
		<Box flexDirection="column">
			<JobProgress runId={`backup-${backupJob.run}`} header={header} rows={rows} snapshot={snapshot} running={running} />
			{/* Also wait for the snapshot that holds the last step-end: the promise settles a render before
			    it arrives, and the summary must not show under a step still spinning. */}
			{status === 'done' && backupJob.result && snapshot?.done ? <BackupSummaryView summary={backupJob.result} /> : null}
			{status === 'failed' || status === 'cancelled' ? (
				<Box marginTop={1}><Text color={theme.error} wrap="wrap">{symbols.failed} {status === 'cancelled' ? 'Backup cancelled: the target is left incomplete.' : `Backup failed: ${backupJob.error}`}</Text></Box>
			) : null}
			{cancel.prompt}
			<KeyBar keys={bar} />
		</Box>
	);
}
