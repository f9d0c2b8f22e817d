import {Box, Text} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {BackupStatus, newestFirst} from '../components/backup-status.js';
import {FieldRow} from '../components/field-row.js';
import {HealthLine, useHealth} from '../components/health-line.js';
import {DrillLine} from '../components/drill-line.js';
import {Menu, type MenuItem} from '../components/menu.js';
import {Screen} from '../components/screen.js';
import {Pending} from '../components/pending.js';
import {Paragraph} from '../components/paragraph.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {AemStatus} from '../components/aem-status.js';
import {StorageLayout} from '../components/storage-layout.js';
import {bytes, dateTime, printableName} from '../../words/format.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import {useRows} from '../hooks/use-columns.js';
import {finalPath, foldRunningZips} from '../state/running-backups.js';
import {keymaps} from '../keymaps.js';
import type {DemoActions, Route, ScreenProps} from '../routes.js';
import {symbols, useTheme} from '../theme.js';

const items: MenuItem[] = [
	{key: 'create', label: 'Create backup'},
	{key: 'backups', label: 'Backups'},
	{key: 'restore', label: 'Restore'},
	{key: 'quit', label: 'Quit'},
];

interface Props extends ScreenProps {
	backupJob: BackupJob;
	/** Quits; the root asks first while a job runs. */
	quit: () => void;
	/** Demo mode: the datastore GC key, and the quit prompt's warning about the demo folder. */
	demo?: DemoActions;
	/** --aem: Home says whether it answers. */
	aem?: {url: string; user?: string};
	/** The menu's cursor, kept by the root: back on Home it is where it was left. */
	cursor?: [number, (update: (index: number) => number) => void];
}

/** The line under the menu: why a key did nothing, or how the demo's datastore GC went. */
type Notice = {tone: 'accent' | 'warning' | 'success' | 'error'; text: string};

/** The demo's datastore GC: running or over, and the run of the TUI's backup that ran during it, if one did. */
interface DatastoreGc {
	phase: 'running' | 'done' | 'failed';
	backupRun?: number;
	deleted?: number;
	error?: string;
}

/**
 * What the GC did, and what it did to the backup that ran during it, said as it happened: the sweep deletes
 * records AEM no longer references, and only a backup that reads one of them again (zipping does) fails.
 * `backup`: that backup's status now (it may end after the sweep does).
 */
export function gcText(gc: DatastoreGc, backup: string | undefined): Notice {
	if (gc.phase === 'failed') return {tone: 'error', text: `Datastore GC failed: ${gc.error}`};
	if (gc.phase === 'running') return {tone: 'warning', text: 'Datastore GC is running on the demo repository for 3 s: a backup that reads a record it deletes fails.'};
	const deleted = `Datastore GC deleted ${gc.deleted} unreferenced records`;
	if (gc.backupRun === undefined || backup === undefined) return {tone: 'success', text: `${deleted}; no backup ran during it.`};
	if (backup === 'failed') return {tone: 'warning', text: `${deleted}; the backup during it failed, as it would on AEM: make it again.`};
	if (backup === 'running') return {tone: 'warning', text: `${deleted}; the backup still running fails if it reads one of them again.`};
	if (backup === 'done') return {tone: 'success', text: `${deleted}; the backup during it read none of them again: it is complete.`};
	return {tone: 'success', text: `${deleted}; the backup during it was cancelled.`};
}

export function Home({engine, repository, isActive, go, backupJob, quit, demo, aem, cursor}: Props) {
	const theme = useTheme();
	// A short terminal leaves no blank row above the notice: its two lines still fit at 60×20.
	const rows = useRows();
	const own = useState(0);
	const [selected, setSelected] = cursor ?? own;
	const [notice, setNotice] = useState<Notice>();
	// Only the repository's size is wanted here: any target of either kind measures the same tree.
	const size = useAsyncValue('size', () => engine.estimate(repository, {path: repository.backupDir, kind: 'zip'}, 0));
	const list = useAsyncValue('list', () => engine.list({repository}));
	const health = useHealth(engine, repository);
	// A running zip's staging folder and .partial are one backup: one row, under its final name.
	const newest = list.value ? newestFirst(foldRunningZips(list.value))[0] : undefined;
	const running = backupJob.status === 'running';
	const snapshot = useProgressStore(backupJob.store, running);
	// This TUI's own backup: how far it is, from the same store the progress view reads.
	const percent = running && newest?.status === 'running' && backupJob.options?.target.path === finalPath(newest) ? snapshot?.percent : undefined;
	// A backup that starts or ends while Home is open changes what is newest.
	const {reload} = list;
	const mounted = useRef(false);
	useEffect(() => {
		if (mounted.current) reload();
		mounted.current = true;
	}, [backupJob.status, backupJob.run, reload]);

	const choose = (key: MenuItem['key']) => {
		const routes: Partial<Record<MenuItem['key'], Route>> = {create: {screen: 'create'}, backups: {screen: 'backups'}, restore: {screen: 'restore'}};
		// One backup at a time (its lock would refuse a second): say so instead of silently showing the first.
		if (key === 'create' && running) return setNotice({tone: 'warning', text: 'A backup is already running, and one runs at a time: p shows its progress, x there cancels it.'});
		// The root asks first while a job runs, and in the demo (whose folder goes with it).
		if (key === 'quit') quit();
		else if (routes[key]) go(routes[key]!);
	};
	const [gc, setGc] = useState<DatastoreGc>();
	// A backup that runs at any moment of the sweep is the one the sweep can break: remember which run it was.
	useEffect(() => {
		if (gc?.phase === 'running' && backupJob.status === 'running' && gc.backupRun !== backupJob.run) setGc({...gc, backupRun: backupJob.run});
	}, [gc, backupJob.status, backupJob.run]);
	const datastoreGc = () => {
		if (!demo || gc?.phase === 'running') return;
		setNotice(undefined);
		setGc({phase: 'running', backupRun: running ? backupJob.run : undefined});
		demo.runDatastoreGc().then(
			deleted => setGc(previous => ({...previous, phase: 'done', deleted: deleted.length})),
			(error: Error) => setGc(previous => ({...previous, phase: 'failed', error: error.message})),
		);
	};
	const gcNotice = gc ? gcText(gc, gc.backupRun === backupJob.run ? backupJob.status : undefined) : undefined;

	// `q` itself is the root's (it works on every screen that is not editing text).
	const bar = useKeymap(demo ? keymaps.homeDemo : keymaps.home, {
		up: () => setSelected(index => (index + items.length - 1) % items.length),
		down: () => setSelected(index => (index + 1) % items.length),
		confirm: () => choose(items[selected]!.key),
		create: () => choose('create'),
		backups: () => choose('backups'),
		restore: () => choose('restore'),
		...(backupJob.status !== 'idle' ? {progress: () => go({screen: 'progress'})} : {}),
		...(demo ? {datastoreGc} : {}),
	}, {isActive});

	const shown = notice ?? gcNotice;
	const sizeText = size.value ? `${bytes(size.value.repositoryBytes)} in ${size.value.repositoryFiles.toLocaleString('en-US')} files` : undefined;
	return (
		<Screen title="Home" keys={bar}>
			<FieldRow label="Repository"><TruncatedPath path={repository.quickstart} /></FieldRow>
			<FieldRow label="Size"><Pending loading={size.loading} error={size.error}>{sizeText}</Pending></FieldRow>
			{aem ? <FieldRow label="AEM"><AemStatus aem={aem} /></FieldRow> : null}
			<StorageLayout estimate={size.value} />
			<FieldRow label="Backups in"><TruncatedPath path={repository.backupDir} /></FieldRow>
			<FieldRow label="Newest">
				{list.loading && !list.value ? <Pending loading label="looking…" /> : newest ? (
					<Box>
						<Box flexShrink={1}><Text wrap="truncate-middle">{printableName(newest.name)}</Text></Box>
						<Box flexShrink={0}><Text>  </Text><BackupStatus record={newest} percent={percent} /><Text dimColor={theme.muted}>  {dateTime(newest.created)}</Text></Box>
					</Box>
				) : <Paragraph dim={theme.muted} indent={14} text={list.error ? `${symbols.failed} ${list.error}` : 'no backups yet'} />}
			</FieldRow>
			<FieldRow label="Health"><HealthLine health={health} /></FieldRow>
			<FieldRow label="Last drill"><DrillLine health={health} /></FieldRow>
			{/* Newest says it once it shows this backup ("running 35 %"); until then, this line. */}
			{running && percent === undefined ? <Text color={theme.accent} wrap="truncate-end">{symbols.running} A backup is running: p shows its progress.</Text> : null}
			{/* A short terminal leaves no blank row above the menu either: the notice's two lines still fit at 60×20. */}
			<Box marginTop={rows >= 22 ? 1 : 0}><Menu items={items} selected={selected} /></Box>
			{shown ? <Box marginTop={rows >= 22 ? 1 : 0}><Paragraph color={theme[shown.tone]} text={`${shown.tone === 'success' ? symbols.done : shown.tone === 'error' ? symbols.failed : symbols.warning} ${shown.text}`} /></Box> : null}
		</Screen>
	);
}
