import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useEffect, useState} from 'react';
import {refuseUndeletable} from '../../engine/index.js';
import type {BackupRecord, RetentionPolicy, VerifyResult} from '../../engine/types.js';
import {policyColumn, usePrunable} from '../hooks/use-prunable.js';
import {newestFirst, statusOf, toneColour} from '../components/backup-status.js';
import {Confirm} from '../components/confirm.js';
import {ProgressFigures} from '../components/job-progress.js';
import {Screen} from '../components/screen.js';
import {Table, type Column} from '../components/table.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {bytes, dateTime} from '../../format.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {useColumns, useRows} from '../hooks/use-columns.js';
import {useCancelConfirm} from '../hooks/use-cancel-confirm.js';
import {useConfirm} from '../hooks/use-confirm.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import type {VerifyJob} from '../hooks/use-verify-job.js';
import {keymaps} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import {symbols, useTheme, type Theme} from '../theme.js';
import {BackupDetails} from './backup-details.js';
import {backupRefusal} from '../state/restore-gates.js';

/** What the line under the details says: the last verify, delete or failure. */
type Outcome = {kind: 'busy'; text: string} | {kind: 'verified'; name: string; result: VerifyResult} | {kind: 'error'; text: string} | {kind: 'info'; text: string};

type Verdicts = ReadonlyMap<string, VerifyResult | 'unreadable'>;

/**
 * Below this width the full date leaves the name fewer than 8 columns and every row wrapped onto a second
 * line (at 60 columns the time was cut, "21:1"): the date drops its year there.
 */
const fullDateWidth = 2 + 8 + 4 + 10 + 16 + 18 + 4;

const columnsFor = (theme: Theme, verdicts: Verdicts, width: number): Column<BackupRecord>[] => [
	{header: 'Name', width: 'flex', cell: record => record.name},
	{header: 'Kind', width: 4, cell: record => (record.kind === 'zip' ? 'zip' : 'dir')},
	{header: 'Size', width: 10, align: 'right', cell: record => bytes(record.bytes)},
	width >= fullDateWidth ? {header: 'Created', width: 16, cell: record => dateTime(record.created)} : {header: 'Created', width: 11, cell: record => dateTime(record.created).slice(5)},
	{header: 'Status', width: 18, cell: record => `${statusOf(record, verdicts.get(record.path)).symbol} ${statusOf(record, verdicts.get(record.path)).word}`, colour: record => toneColour(theme, statusOf(record, verdicts.get(record.path)).tone)},
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
	/** The --keep-* rules the TUI was opened with: a column marks what `prune` would remove. */
	policy?: RetentionPolicy;
}

export function Backups({engine, repository, isActive, go, verifyJob, policy}: Props) {
	const theme = useTheme();
	const width = useColumns();
	// The table takes the height the rest leaves: title, header, range, details, outcome, key bar (~16 rows).
	const maxRows = Math.max(3, useRows() - 16);
	const [selected, setSelected] = useState(0);
	const [outcome, setOutcome] = useState<Outcome>();
	/** What verify found this session, by path: a failed verify must not leave "✔ complete" beside it. */
	const [verdicts, setVerdicts] = useState<Verdicts>(new Map());
	/** `/`: the name filter, and whether it is being typed. */
	const [filter, setFilter] = useState({text: '', typing: false});
	const list = useAsyncValue('list', () => engine.list({repository}));
	const records = list.value ? newestFirst(list.value).filter(record => record.name.toLowerCase().includes(filter.text.toLowerCase())) : [];
	const record = records[Math.min(selected, records.length - 1)];
	const prunable = usePrunable(records, repository, policy);
	const confirm = useConfirm<'delete'>();
	const verifying = verifyJob.status === 'running';
	const snapshot = useProgressStore(verifyJob.store, verifying);
	const cancel = useCancelConfirm(verifying, () => verifyJob.cancel(), 'Cancel the verify? Nothing is written either way.');
	const verifiedName = records.find(candidate => candidate.path === verifyJob.options?.backup)?.name ?? verifyJob.options?.backup ?? '';

	// A settled verify leaves its verdict under the details, as the busy line did before it.
	useEffect(() => {
		const verified = verifyJob.options?.backup;
		const remember = (verdict: VerifyResult | 'unreadable') => verified && setVerdicts(previous => new Map(previous).set(verified, verdict));
		if (verifyJob.status === 'done' && verifyJob.result) {
			setOutcome({kind: 'verified', name: verifiedName, result: verifyJob.result});
			remember(verifyJob.result);
		} else if (verifyJob.status === 'cancelled') setOutcome({kind: 'info', text: `Verify of ${verifiedName} cancelled.`});
		else if (verifyJob.status === 'failed') {
			setOutcome({kind: 'error', text: verifyJob.error ?? 'verify failed'});
			remember('unreadable');
		}
	}, [verifyJob.run, verifyJob.status]); // eslint-disable-line react-hooks/exhaustive-deps

	const remove = (target: BackupRecord) => {
		setOutcome({kind: 'busy', text: `Deleting ${target.name}…`});
		engine.remove(target.path, {repository}).then(
			() => {
				setOutcome({kind: 'info', text: `${symbols.done} Deleted ${target.name}.`});
				list.reload();
			},
			(error: Error) => setOutcome({kind: 'error', text: error.message}),
		);
	};
	const verify = (target: BackupRecord) => {
		setOutcome(undefined);
		verifyJob.start({backup: target.path});
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
		back: () => go({screen: 'home'}),
		...(record ? {
			// An install or a running backup is refused at once, with the engine's sentence: no question whose yes does nothing.
			delete: () => {
				const refusal = undeletable(record);
				if (refusal) setOutcome({kind: 'error', text: refusal});
				else confirm.ask('delete', `Delete ${record.name}?`);
			},
			verify: () => verify(record),
			// A running, damaged or leftover backup is refused here, with the reason, not three steps into the wizard.
			restore: () => {
				const verdict = verdicts.get(record.path);
				const refusal = backupRefusal(record) ?? (verdict === 'unreadable' || (verdict && !verdict.ok) ? `${record.name} failed its verify: it is damaged; choose another backup.` : undefined);
				if (refusal) setOutcome({kind: 'error', text: refusal});
				else go({screen: 'restore', backup: record.path});
			},
		} : {}),
	};
	const filterHandlers = {
		confirm: () => setFilter(previous => ({...previous, typing: false})),
		back: () => setFilter({text: '', typing: false}),
		erase: () => setFilter(previous => ({...previous, text: previous.text.slice(0, -1)})),
	};
	const {keymap, handlers} = verifying
		? cancel.bind(keymaps.verifying, {})
		: confirm.pending ? {keymap: keymaps.confirm, handlers: confirm.handlers(() => record && remove(record))}
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
			{records.length > 0 ? <Table columns={[...columnsFor(theme, verdicts, width), ...(prunable ? [policyColumn(theme, prunable)] : [])]} rows={records} rowKey={r => r.path} selected={Math.min(selected, records.length - 1)} maxRows={maxRows} width={width} /> : null}
			{verifying ? (
				<Box flexDirection="column" marginTop={1}>
					<Text color={theme.accent} wrap="wrap"><Spinner type="dots" /> Verifying {verifiedName}…</Text>
					{snapshot ? <ProgressFigures snapshot={snapshot} /> : null}
					{cancel.prompt}
				</Box>
			) : (
				<>
					{record ? <BackupDetails record={record} /> : null}
					{confirm.pending ? <Confirm question={confirm.pending.question} /> : <OutcomeLine outcome={outcome} />}
				</>
			)}
		</Screen>
	);
}

function OutcomeLine({outcome}: {outcome?: Outcome}) {
	const theme = useTheme();
	if (!outcome) return null;
	if (outcome.kind === 'busy') return <Text color={theme.accent} wrap="wrap"><Spinner type="dots" /> {outcome.text}</Text>;
	if (outcome.kind === 'error') return <Text color={theme.error}>{symbols.failed} {outcome.text}</Text>;
	if (outcome.kind === 'info') return <Text color={theme.success} wrap="wrap">{outcome.text}</Text>;
	const {result, name} = outcome;
	if (result.ok) return <Text color={theme.success} wrap="wrap">{symbols.done} Intact: {name} ({result.files.toLocaleString('en-US')} files, {bytes(result.bytes)})</Text>;
	return (
		<Box flexDirection="column">
			<Text color={theme.error} wrap="wrap">{symbols.failed} {result.problems.length} problem{result.problems.length === 1 ? '' : 's'} in {name}:</Text>
			{result.problems.slice(0, 3).map(problem => <Text key={problem.path} color={theme.error} wrap="wrap">  {problem.path}: {problem.problem}</Text>)}
		</Box>
	);
}
