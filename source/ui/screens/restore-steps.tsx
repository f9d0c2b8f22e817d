import path from 'node:path';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {BackupRecord, RestorePlan} from '../../engine/types.js';
import {FieldRow} from '../components/field-row.js';
import {Paragraph} from '../components/paragraph.js';
import {Table, type Column} from '../components/table.js';
import {TextField} from '../components/text-field.js';
import {TruncatedPath} from '../components/truncated-path.js';
import type {DestinationCheck} from '../destination.js';
import {bytes, dateTime, duration, printableName} from '../../words/format.js';
import type {AsyncValue} from '../hooks/use-async-value.js';
import {useColumns} from '../hooks/use-columns.js';
import type {RestoreJob} from '../hooks/use-restore-job.js';
import {OptionFields} from '../components/option-fields.js';
import {listValues, restoreOptionDescriptors} from '../options/descriptors.js';
import {nextStep} from '../../words/restore-next-step.js';
import type {RestoreWizardState} from '../state/restore-wizard.js';
import {symbols, useTheme} from '../theme.js';

const columns: Column<BackupRecord>[] = [
	{header: 'Name', width: 'flex', cell: record => printableName(record.name), sharedPrefix: true},
	{header: 'Kind', width: 4, cell: record => (record.kind === 'zip' ? 'zip' : 'dir')},
	{header: 'Size', width: 10, align: 'right', cell: record => bytes(record.bytes)},
	{header: 'Created', width: 16, cell: record => dateTime(record.created)},
];

function Loading({text}: {text: string}) {
	const theme = useTheme();
	return <Text color={theme.accent}><Spinner type="dots" /> {text}</Text>;
}

export function ChooseStep({list, records, selected, backupDir}: {list: AsyncValue<BackupRecord[]>; records: BackupRecord[]; selected: number; backupDir: string}) {
	const theme = useTheme();
	const width = useColumns();
	if (list.loading) return <Loading text="looking for backups…" />;
	if (list.error) return <Text color={theme.error}>{symbols.failed} {list.error}</Text>;
	if (records.length === 0) return <Box flexDirection="column"><Text>No complete backups found in</Text><TruncatedPath path={backupDir} /></Box>;
	return <Table columns={columns} rows={records} rowKey={record => record.path} selected={selected} maxRows={10} width={width} />;
}

/** Why Enter does not go on: the step's check, in one sentence. */
function Refusal({text}: {text?: string}) {
	const theme = useTheme();
	return text ? <Paragraph color={theme.error} text={`${symbols.failed} ${text}`} /> : null;
}

export function DestinationStep({state, check, refusal}: {state: RestoreWizardState; check: AsyncValue<DestinationCheck>; refusal?: string}) {
	const theme = useTheme();
	const current = check.key === state.destination.text ? check.value : undefined;
	const reason = current && !current.ok ? current.reason : undefined;
	return (
		<Box flexDirection="column">
			<FieldRow label="Backup" width={10}><TruncatedPath path={state.backup ?? ''} /></FieldRow>
			<Box marginTop={1}><TextField label="Folder" value={state.destination} focused reason={reason} labelWidth={10} /></Box>
			<Box marginLeft={10}>
				{check.loading ? <Loading text="checking…" /> : null}
				{/* Only the path is shortened in its middle, never the verdict (at 60 columns the sentence itself was cut). */}
				{!check.loading && current?.ok ? (
					<Box>
						<Box flexShrink={0}><Text color={theme.success}>{symbols.done} {current.exists ? 'an empty folder' : 'a new folder, created by the restore'}: </Text></Box>
						<Box flexShrink={1}><Text color={theme.success} wrap="truncate-middle">{current.path}</Text></Box>
					</Box>
				) : null}
			</Box>
			<Paragraph dim={theme.muted} text={`The folder must be new or empty; relative paths start at ${path.resolve('.')}.`} />
			<Refusal text={refusal ?? state.refusal} />
		</Box>
	);
}

function Executables({plan}: {plan: RestorePlan}) {
	const theme = useTheme();
	if (plan.willMakeExecutable.length === 0) return <Paragraph dim={theme.muted} text="The backup keeps unix file modes: nothing to make executable." />;
	return (
		<Box flexDirection="column">
			<Text>Made executable ({plan.hasUnixModes ? 'listed in the plan' : 'the zip has no unix modes'}):</Text>
			{plan.willMakeExecutable.slice(0, 6).map(file => <Text key={file} wrap="truncate-middle">  {file}</Text>)}
			{plan.willMakeExecutable.length > 6 ? <Text dimColor={theme.muted}>  and {plan.willMakeExecutable.length - 6} more</Text> : null}
		</Box>
	);
}

export function OptionsStep({state, plan, refusal}: {state: RestoreWizardState; plan: AsyncValue<RestorePlan>; refusal?: string}) {
	const value = (key: string) => (key === 'only' ? state.only : state[key as 'deleteIndex' | 'force']);
	return (
		<Box flexDirection="column">
			<OptionFields options={restoreOptionDescriptors} value={value} focus={state.optionFocus} labelWidth={8} />
			<Box marginTop={1}>
				{plan.loading ? <Loading text="reading the backup…" /> : plan.value && !plan.error ? <Executables plan={plan.value} /> : null}
			</Box>
			{/* The plan's error is the refusal: one line, not two. */}
			<Refusal text={refusal} />
		</Box>
	);
}

export function ConfirmStep({state, plan}: {state: RestoreWizardState; plan: AsyncValue<RestorePlan>}) {
	const theme = useTheme();
	const value = plan.value;
	return (
		<Box flexDirection="column">
			<FieldRow label="Backup"><TruncatedPath path={state.backup ?? ''} /></FieldRow>
			{value ? <FieldRow label="Holds">{`${value.kind} · ${value.files.toLocaleString('en-US')} files · ${bytes(value.bytes)}`}</FieldRow> : null}
			<FieldRow label="Into"><TruncatedPath path={path.resolve(state.destination.text.trim())} /></FieldRow>
			{state.datastore ? <FieldRow label="Datastore"><TruncatedPath path={path.resolve(state.datastore.text.trim())} /></FieldRow> : null}
			<FieldRow label="Index">{state.deleteIndex ? 'deleted after restoring' : 'kept'}</FieldRow>
			{listValues(state.only.text).length > 0 ? <FieldRow label="Only">{listValues(state.only.text).join(', ')}</FieldRow> : null}
			{state.force ? <FieldRow label="Force">restores it though it is marked in progress</FieldRow> : null}
			<FieldRow label="Executable">{value ? `${value.willMakeExecutable.length} scripts` : '…'}</FieldRow>
			<Refusal text={state.refusal} />
			<Box marginTop={1}><Paragraph color={theme.accent} text="Enter restores; nothing is written before that." /></Box>
		</Box>
	);
}

export function DoneStep({job}: {job: RestoreJob}) {
	const theme = useTheme();
	const summary = job.result;
	if (job.status === 'cancelled') return <Paragraph color={theme.warning} text={`${symbols.warning} Restore cancelled: nothing is left behind, the destination is as it was.`} />;
	if (job.status !== 'done' || !summary) return <Paragraph color={theme.error} text={`${symbols.failed} Restore failed: ${job.error ?? ''}`} />;
	const next = nextStep(summary);
	return (
		<Box flexDirection="column">
			<Text color={theme.success} bold={theme.bold}>{symbols.done} Restore complete  100%</Text>
			<FieldRow label="Restored">{`${summary.files.toLocaleString('en-US')} files · ${bytes(summary.bytes)} · ${duration(summary.durationMs)}`}</FieldRow>
			<FieldRow label="Into"><TruncatedPath path={summary.to} /></FieldRow>
			<FieldRow label="Index">{summary.deletedIndex ? 'deleted: AEM rebuilds it at start-up' : job.options?.deleteIndex ? 'nothing to delete: the backup holds no index' : 'kept'}</FieldRow>
			<FieldRow label="Executable">{summary.madeExecutable.length === 0 ? 'none needed' : summary.madeExecutable.slice(0, 4).join(', ') + (summary.madeExecutable.length > 4 ? ` and ${summary.madeExecutable.length - 4} more` : '')}</FieldRow>
			<Box marginTop={1} flexDirection="column">
				<Text>Next step:</Text>
				{next.before ? <Paragraph color={theme.warning} text={`${symbols.warning} ${next.before}`} /> : null}
				{/* A command to copy: wrapped if long, never cut, and quoted so a path with spaces pastes right. */}
				<Text color={theme.accent}>{next.command}</Text>
			</Box>
		</Box>
	);
}
