import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useEffect, useRef, useState} from 'react';
import {refuseUndeletable} from '../../engine/index.js';
import type {BackupRecord, RetentionPolicy, VerifyResult} from '../../engine/types.js';
import {policyColumn, usePrunable} from '../hooks/use-prunable.js';
import {newestFirst, statusOf, toneColour} from '../components/backup-status.js';
import {Confirm} from '../components/confirm.js';
import {Paragraph} from '../components/paragraph.js';
import {ProgressFigures} from '../components/job-progress.js';
import {Screen} from '../components/screen.js';
import {Table, type Column} from '../components/table.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {bytes, dateTime, printableName} from '../../words/format.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {useColumns, useRows} from '../hooks/use-columns.js';
import {useCancelConfirm} from '../hooks/use-cancel-confirm.js';
import {useConfirm} from '../hooks/use-confirm.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import type {VerifyJob} from '../hooks/use-verify-job.js';
import type {DrillJob} from '../hooks/use-drill-job.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {finalPath, foldRunningZips} from '../state/running-backups.js';
import {keymaps} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import {symbols, useTheme, type Theme} from '../theme.js';
import {BackupDetails} from './backup-details.js';
import {backupRefusal} from '../state/restore-gates.js';

/** What the line under the details says: the last verify, delete or failure. */
type Outcome = ({kind: 'busy'; text: string} | {kind: 'verified'; name: string; result: VerifyResult} | {kind: 'error'; text: string} | {kind: 'info'; text: string}) & {
	/** The path of the row it is about: shown only while that row is selected (a verdict under another row lies). */
	row?: string;
};

type Verdicts = ReadonlyMap<string, VerifyResult | 'unreadable'>;

/**
 * Below this width the full date leaves the name fewer than 8 columns and every row wrapped onto a second
 * line (at 60 columns the time was cut, "21:1"): the date drops its year there.
 */
const fullDateWidth = 2 + 8 + 4 + 10 + 16 + 18 + 4;

const columnsFor = (theme: Theme, verdicts: Verdicts, width: number, percentOf: (record: BackupRecord) => number | undefined): Column<BackupRecord>[] => [
	{header: 'Name', width: 'flex', cell: record => printableName(record.name), sharedPrefix: true},
	{header: 'Kind', width: 4, cell: record => (record.kind === 'zip' ? 'zip' : 'dir')},
	{header: 'Size', width: 10, align: 'right', cell: record => bytes(record.bytes)},
	width >= fullDateWidth ? {header: 'Created', width: 16, cell: record => dateTime(record.created)} : {header: 'Created', width: 11, cell: record => dateTime(record.created).slice(5)},
	{header: 'Status', width: 18, cell: record => {
		const status = statusOf(record, verdicts.get(record.path), percentOf(record));
		return `${status.symbol} ${status.word}`;
	}, colour: record => toneColour(theme, statusOf(record, verdicts.get(record.path)).tone)},
];

function undeletable(record: BackupRecord): string | undefined {
	try {
		refuseUndeletable(record);
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}

interface Props extends ScreenProps {
	/** Owned by the root, so Ctrl+C cancels a running verify before quitting. */
	verifyJob: VerifyJob;
	/** This TUI's backup: its row says how far it is. */
	backupJob?: BackupJob;
	/** The --keep-* rules the TUI was opened with: a column marks what `prune` would remove. */
	policy?: RetentionPolicy;
	/** Owned by the root, so quitting cancels a running drill (its AEM stopped, its copy deleted) first. */
	drillJob?: DrillJob;
}

export function Backups({engine, repository, isActive, go, verifyJob, backupJob, policy, drillJob}: Props) {
	const theme = useTheme();
	const width = useColumns();
	const rows = useRows();
	const [selected, setSelected] = useState(0);
	const [outcome, setOutcome] = useState<Outcome>();
	/** What verify found this session, by path: a failed verify must not leave "✔ complete" beside it. */
	const [verdicts, setVerdicts] = useState<Verdicts>(new Map());
	/** `/`: the name filter, and whether it is being typed. */
	const [filter, setFilter] = useState({text: '', typing: false});
	// The table takes the rows the rest leaves (with 16 set aside, "1–8 of 20" sat over 5 blank rows): title and its
	// margin (2), the filter line, the header and the range line (2), the details (margin and 6 rows), one outcome
	// line, the key bar and its margin (2).
	const maxRows = Math.max(3, rows - 14 - (filter.typing || filter.text ? 1 : 0));
	const list = useAsyncValue('list', () => engine.list({repository}));
	// A running zip's staging folder and .partial are one backup: one row, under its final name.
	const records = list.value ? newestFirst(foldRunningZips(list.value)).filter(record => record.name.toLowerCase().includes(filter.text.toLowerCase())) : [];
	const record = records[Math.min(selected, records.length - 1)];
	const prunable = usePrunable(records, repository, policy);
	const confirm = useConfirm<'delete' | 'drill'>();
	const verifying = verifyJob.status === 'running';
	const snapshot = useProgressStore(verifyJob.store, verifying);
	const backupRunning = backupJob?.status === 'running';
	const backupSnapshot = useProgressStore(backupJob?.store, backupRunning);
	const percentOf = (row: BackupRecord) => (backupRunning && row.status === 'running' && backupJob?.options?.target.path === finalPath(row) ? backupSnapshot?.percent : undefined);
	const cancel = useCancelConfirm(verifying, () => verifyJob.cancel(), 'Cancel the verify? Nothing is written either way.');
	const verifiedName = printableName(records.find(candidate => candidate.path === verifyJob.options?.backup)?.name ?? verifyJob.options?.backup ?? '');

	// A settled verify leaves its verdict under the details, as the busy line did before it.
	useEffect(() => {
		const verified = verifyJob.options?.backup;
		const remember = (verdict: VerifyResult | 'unreadable') => verified && setVerdicts(previous => new Map(previous).set(verified, verdict));
		if (verifyJob.status === 'done' && verifyJob.result) {
			setOutcome({kind: 'verified', name: verifiedName, result: verifyJob.result, row: verified});
			remember(verifyJob.result);
		} else if (verifyJob.status === 'cancelled') setOutcome({kind: 'info', text: `Verify of ${verifiedName} cancelled.`, row: verified});
		else if (verifyJob.status === 'failed') {
			setOutcome({kind: 'error', text: verifyJob.error ?? 'verify failed', row: verified});
			remember('unreadable');
		}
	}, [verifyJob.run, verifyJob.status]); // eslint-disable-line react-hooks/exhaustive-deps

	// This TUI's backup starting or ending changes its row (running, then complete or gone).
	const {reload} = list;
	const mounted = useRef(false);
	useEffect(() => {
		if (mounted.current) reload();
		mounted.current = true;
	}, [backupJob?.status, backupJob?.run, reload]);

	const remove = (target: BackupRecord) => {
		setOutcome({kind: 'busy', text: `Deleting ${printableName(target.name)}…`});
		engine.remove(target.path, {repository}).then(
			() => {
				setOutcome({kind: 'info', text: `${symbols.done} Deleted ${printableName(target.name)}.`});
				list.reload();
			},
			(error: Error) => setOutcome({kind: 'error', text: error.message, row: target.path}),
		);
	};
	const verify = (target: BackupRecord) => {
		// A leftover is not a backup: the engine refuses it unread, and that refusal must not mark the row "damaged (verify)".
		if (target.leftover) {
			setOutcome({kind: 'error', text: `${printableName(target.name)} is a leftover of a backup that never finished, not a backup to verify; d deletes it.`, row: target.path});
			return;
		}
		setOutcome(undefined);
		verifyJob.start({backup: target.path});
	};
	/** What restore and a drill refuse at once: a running, damaged or leftover backup, or one that failed its verify here. */
	const restoreRefusal = (target: BackupRecord): string | undefined => {
		const verdict = verdicts.get(target.path);
		return backupRefusal(target) ?? (verdict === 'unreadable' || (verdict && !verdict.ok) ? `${printableName(target.name)} failed its verify: it is damaged; choose another backup.` : undefined);
	};
	const startDrill = (target: BackupRecord) => {
		setOutcome(undefined);
		drillJob?.start({backup: target.path});
		go({screen: 'drill'});
	};
	const move = (delta: number) => {
		setSelected(index => Math.max(0, Math.min(records.length - 1, index + delta)));
		setOutcome(undefined);
	};

	const listHandlers = {
		up: () => move(-1),
		down: () => move(1),
		pageUp: () => move(-maxRows),
		pageDown: () => move(maxRows),
		first: () => move(-records.length),
		last: () => move(records.length),
		filter: () => setFilter(previous => ({...previous, typing: true})),
		// A kept filter is cleared first (Esc undoes the last thing done here); Esc again leaves.
		back: () => (filter.text ? setFilter({text: '', typing: false}) : go({screen: 'home'})),
		...(record ? {
			// An install or a running backup is refused at once, with the engine's sentence: no question whose yes does nothing.
			delete: () => {
				const refusal = undeletable(record);
				if (refusal) setOutcome({kind: 'error', text: refusal, row: record.path});
				else confirm.ask('delete', `Delete ${printableName(record.name)}?`);
			},
			verify: () => verify(record),
			// A running, damaged or leftover backup is refused here, with the reason, not three steps into the wizard.
			restore: () => {
				const refusal = restoreRefusal(record);
				if (refusal) setOutcome({kind: 'error', text: refusal, row: record.path});
				else go({screen: 'restore', backup: record.path});
			},
			...(drillJob ? {drill: () => {
				const refusal = restoreRefusal(record) ?? (drillJob.status === 'running' ? 'A drill is already running, and one runs at a time.' : undefined);
				if (refusal) setOutcome({kind: 'error', text: refusal, row: record.path});
				else confirm.ask('drill', `Drill ${printableName(record.name)}: restore it beside the backups, start AEM there cut off from the network, then stop it and delete the copy?`);
			}} : {}),
		} : {}),
	};
	const filterHandlers = {
		confirm: () => setFilter(previous => ({...previous, typing: false})),
		back: () => setFilter({text: '', typing: false}),
		erase: () => setFilter(previous => ({...previous, text: previous.text.slice(0, -1)})),
	};
	const {keymap, handlers} = verifying
		? cancel.bind(keymaps.verifying, {up: listHandlers.up, down: listHandlers.down})
		: confirm.pending ? {keymap: keymaps.confirm, handlers: confirm.handlers(id => record && (id === 'drill' ? startDrill(record) : remove(record)))}
			: filter.typing ? {keymap: keymaps.backupsFilter, handlers: filterHandlers} : {keymap: keymaps.backups, handlers: listHandlers};
	const typeFilter = (text: string) => {
		setFilter(previous => ({...previous, text: previous.text + text}));
		setSelected(0);
	};
	const bar = useKeymap(keymap, handlers, {isActive, busy: list.loading && !list.value, onText: filter.typing && !verifying && !confirm.pending ? typeFilter : undefined});

	return (
		<Screen title="Backups" keys={bar}>
			{list.loading && !list.value ? <Text color={theme.accent}><Spinner type="dots" /> looking for backups…</Text> : null}
			{list.error ? <Text color={theme.error}>{symbols.failed} {list.error}</Text> : null}
			{list.value && list.value.length === 0 ? (
				<Box flexDirection="column">
					<Text>No backups found in</Text>
					<TruncatedPath path={repository.backupDir} />
				</Box>
			) : null}
			{filter.typing || filter.text ? <Text color={theme.accent} wrap="truncate-middle">/ {filter.text}{filter.typing ? '▏' : ''}  ({records.length} of {list.value?.length ?? 0})</Text> : null}
			{records.length > 0 ? <Table columns={[...columnsFor(theme, verdicts, width, percentOf), ...(prunable ? [policyColumn(theme, prunable)] : [])]} rows={records} rowKey={r => r.path} selected={Math.min(selected, records.length - 1)} maxRows={maxRows} width={width} /> : null}
			{verifying ? (
				<Box flexDirection="column" marginTop={1}>
					<Busy text={`Verifying ${verifiedName}…`} />
					{snapshot ? <ProgressFigures snapshot={snapshot} /> : null}
					{cancel.prompt}
				</Box>
			) : (
				<>
					{record ? <BackupDetails record={record} /> : null}
					{confirm.pending ? <Confirm question={confirm.pending.question} /> : <OutcomeLine outcome={outcome && (!outcome.row || outcome.row === record?.path) ? outcome : undefined} />}
				</>
			)}
		</Screen>
	);
}

function OutcomeLine({outcome}: {outcome?: Outcome}) {
	const theme = useTheme();
	if (!outcome) return null;
	if (outcome.kind === 'busy') return <Busy text={outcome.text} />;
	if (outcome.kind === 'error') return <Paragraph color={theme.error} text={`${symbols.failed} ${outcome.text}`} />;
	if (outcome.kind === 'info') return <Paragraph color={theme.success} text={outcome.text} />;
	const {result, name} = outcome;
	if (result.ok) return <Paragraph color={theme.success} text={`${symbols.done} Intact: ${name} (${result.files.toLocaleString('en-US')} files, ${bytes(result.bytes)})`} />;
	return (
		<Box flexDirection="column">
			<Paragraph color={theme.error} text={`${symbols.failed} ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${name}:`} />
			{result.problems.slice(0, 3).map(problem => <Box key={problem.path} marginLeft={2}><Paragraph color={theme.error} indent={2} text={`${problem.path}: ${problem.problem}`} /></Box>)}
		</Box>
	);
}

/** A spinner and a sentence wrapped beside it (never a line starting with a space). */
function Busy({text}: {text: string}) {
	const theme = useTheme();
	return <Box><Text color={theme.accent}><Spinner type="dots" /> </Text><Paragraph color={theme.accent} indent={2} text={text} /></Box>;
}
