import {Box, Text} from 'ink';
import {useState} from 'react';
import {BackupStatus, newestFirst} from '../components/backup-status.js';
import {Confirm} from '../components/confirm.js';
import {FieldRow} from '../components/field-row.js';
import {Menu, type MenuItem} from '../components/menu.js';
import {Screen} from '../components/screen.js';
import {Pending} from '../components/pending.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {StorageLayout} from '../components/storage-layout.js';
import {bytes, dateTime} from '../../format.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {keymaps} from '../keymaps.js';
import type {Route, ScreenProps} from '../routes.js';
import {useConfirm} from '../hooks/use-confirm.js';
import {symbols, useTheme} from '../theme.js';

const items: MenuItem[] = [
	{key: 'create', label: 'Create backup'},
	{key: 'backups', label: 'Backups'},
	{key: 'restore', label: 'Restore'},
	{key: 'quit', label: 'Quit'},
];

interface Props extends ScreenProps {
	backupJob: BackupJob;
	/** Quits; the root cancels a running job first. */
	quit: () => void;
}

export function Home({engine, repository, isActive, go, backupJob, quit}: Props) {
	const theme = useTheme();
	const [selected, setSelected] = useState(0);
	const confirm = useConfirm<'quit'>();
	// Only the repository's size is wanted here: any target of either kind measures the same tree.
	const size = useAsyncValue('size', () => engine.estimate(repository, {path: repository.backupDir, kind: 'zip'}, 0));
	const list = useAsyncValue('list', () => engine.list({repository}));
	const newest = list.value ? newestFirst(list.value)[0] : undefined;
	const running = backupJob.status === 'running';

	const choose = (key: MenuItem['key']) => {
		const routes: Partial<Record<MenuItem['key'], Route>> = {create: {screen: running ? 'progress' : 'create'}, backups: {screen: 'backups'}, restore: {screen: 'restore'}};
		if (key === 'quit') {
			if (running) confirm.ask('quit', 'A backup is running. Cancel it and quit?');
			else quit();
		} else if (routes[key]) go(routes[key]!);
	};

	const bar = useKeymap(confirm.pending ? keymaps.confirm : keymaps.home, confirm.pending ? confirm.handlers(quit) : {
		up: () => setSelected(index => (index + items.length - 1) % items.length),
		down: () => setSelected(index => (index + 1) % items.length),
		confirm: () => choose(items[selected]!.key),
		create: () => choose('create'),
		backups: () => choose('backups'),
		restore: () => choose('restore'),
		quit: () => choose('quit'),
		...(backupJob.status !== 'idle' ? {progress: () => go({screen: 'progress'})} : {}),
	}, {isActive});

	const sizeText = size.value ? `${bytes(size.value.repositoryBytes)} in ${size.value.repositoryFiles.toLocaleString('en-US')} files` : undefined;
	return (
		<Screen title="Home" keys={bar}>
			<FieldRow label="Repository"><TruncatedPath path={repository.quickstart} /></FieldRow>
			<FieldRow label="Size"><Pending loading={size.loading} error={size.error}>{sizeText}</Pending></FieldRow>
			<StorageLayout estimate={size.value} />
			<FieldRow label="Backups in"><TruncatedPath path={repository.backupDir} /></FieldRow>
			<FieldRow label="Newest">
				{list.loading ? <Pending loading label="looking…" /> : newest ? (
					<Box>
						<Box flexShrink={1}><Text wrap="truncate-middle">{newest.name}</Text></Box>
						<Box flexShrink={0}><Text>  </Text><BackupStatus record={newest} /><Text dimColor={theme.muted}>  {dateTime(newest.created)}</Text></Box>
					</Box>
				) : <Text dimColor={theme.muted} wrap="truncate-end">{list.error ? `${symbols.failed} ${list.error}` : 'no backups yet'}</Text>}
			</FieldRow>
			{running ? <Text color={theme.accent} wrap="truncate-end">{symbols.running} A backup is running: p shows its progress.</Text> : null}
			<Box marginTop={1}><Menu items={items} selected={selected} /></Box>
			{confirm.pending ? <Box marginTop={1}><Confirm question={confirm.pending.question} /></Box> : null}
		</Screen>
	);
}
