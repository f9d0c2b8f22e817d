import {Box, Text} from 'ink';
import {JobProgress} from '../components/job-progress.js';
import {Paragraph} from '../components/paragraph.js';
import {Screen} from '../components/screen.js';
import {TruncatedPath} from '../components/truncated-path.js';
import type {DrillJob} from '../hooks/use-drill-job.js';
import {useCancelConfirm} from '../hooks/use-cancel-confirm.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import {keymaps} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import {checklistRows, drillStepRows} from '../state/steps.js';
import {symbols, useTheme} from '../theme.js';
import {tuiWords} from '../options/tui-words.js';
import {drillFigures} from '../../words/drill.js';
import {printableName} from '../../words/format.js';

interface Props extends Omit<ScreenProps, 'engine' | 'repository'> {
	drillJob: DrillJob;
}

/**
 * A restore drill as it runs: its steps (clean up, verify, restore, start, ready, stop), the bar while it
 * verifies and restores, the last readiness probe while AEM starts; then whether AEM came up and the figures
 * an incident needs. A cancel stops the drill's AEM and deletes its copy before the job ends.
 */
export function Drill({isActive, go, drillJob}: Props) {
	const theme = useTheme();
	const {status, store, options, result} = drillJob;
	const running = status === 'running';
	const snapshot = useProgressStore(store, running);
	const cancel = useCancelConfirm(running, () => drillJob.cancel(), "Cancel the drill? Its AEM is stopped and its copy deleted; the live AEM and the backup are not touched.");
	const {keymap, handlers} = cancel.bind(running ? keymaps.drillRunning : keymaps.drillDone, running ? {} : {confirm: () => go({screen: 'backups'}), back: () => go({screen: 'backups'})});
	const bar = useKeymap(keymap, handlers, {isActive});
	const waiting = running && snapshot?.step === 'ready' && snapshot.probe;
	const header = options ? (
		<Box>
			<Text dimColor={theme.muted}>Backup  </Text>
			<Box flexShrink={1}><TruncatedPath path={options.backup} /></Box>
		</Box>
	) : <Text>No drill has run yet.</Text>;
	return (
		<Screen title="Restore drill" keys={bar}>
			<JobProgress header={header} rows={checklistRows(drillStepRows(), snapshot, status)} snapshot={running && (snapshot?.step === 'verify' || snapshot?.step === 'restore') ? snapshot : undefined} running={running} />
			{waiting ? <Box marginTop={1}><Paragraph color={theme.accent} text={`${symbols.running} ${snapshot.probe}`} /></Box> : null}
			{/* Once the snapshot holding the done event is in: the result never shows under a step still spinning. */}
			{status === 'done' && result && snapshot?.done ? (
				<Box flexDirection="column" marginTop={1}>
					<Paragraph color={result.ok ? theme.success : theme.error} text={`${result.ok ? symbols.done : symbols.failed} ${result.sentence}`} />
					<Paragraph text={drillFigures(result)} />
					<Paragraph color={result.isolation === 'namespace' ? undefined : theme.warning} text={result.isolation === 'namespace'
						? `AEM ran on port ${result.port} in a network namespace of its own: it could reach nothing outside.`
						: `${symbols.warning} AEM ran on port ${result.port} with the network reachable.`} />
					{result.kept ? <Paragraph text={`The copy is kept in ${printableName(result.restored ?? result.scratch)}.`} /> : null}
				</Box>
			) : null}
			{status === 'failed' ? <Box marginTop={1}><Paragraph color={theme.error} text={`${symbols.failed} Drill failed: ${tuiWords(drillJob.error ?? '')}`} /></Box> : null}
			{/* The engine's sentence says what the cancel left: the copy removed, or where it stays for the next drill. */}
			{status === 'cancelled' ? <Box marginTop={1}><Paragraph color={theme.warning} text={`${symbols.warning} ${tuiWords(drillJob.error ?? 'Drill cancelled.')}`} /></Box> : null}
			{cancel.prompt}
		</Screen>
	);
}
