import path from 'node:path';
import {defaultTargetName} from '../../engine/index.js';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useMemo, useReducer} from 'react';
import type {BackupOptions} from '../../engine/types.js';
import {FieldRow} from '../components/field-row.js';
import {MethodField} from '../components/method-field.js';
import {useMethodChoice} from '../hooks/use-method-choice.js';
import {Screen} from '../components/screen.js';
import {TextField} from '../components/text-field.js';
import {TruncatedPath} from '../components/truncated-path.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {usePreflight} from '../hooks/use-preflight.js';
import {keymaps} from '../keymaps.js';
import type {ScreenProps} from '../routes.js';
import {canStart, checkCreateForm, createFormReducer, initialCreateForm} from '../state/create-form.js';
import {symbols, useTheme} from '../theme.js';
import {PreflightPanel} from './preflight-panel.js';

interface Props extends ScreenProps {
	backupJob: BackupJob;
	/** Freeze and thaw commands (the demo's live writer, later --freeze-cmd/--thaw-cmd). */
	backupDefaults?: Pick<BackupOptions, 'freezeCmd' | 'thawCmd' | 'freezeTimeoutMs' | 'exclude'>;
}

const labelWidth = 10;

export function CreateBackup({engine, repository, isActive, go, backupJob, backupDefaults}: Props) {
	const theme = useTheme();
	// The default target, shown relative to the default backup folder (where relative targets resolve).
	// When that name is taken (a folder of that name, say) the field still shows it, with the reason inline.
	const [form, dispatch] = useReducer(createFormReducer, undefined, () => initialCreateForm(defaultTarget(engine, repository)));
	const check = useMemo(() => checkCreateForm(form, text => engine.resolveTarget(repository, text)), [form, engine, repository]);
	const target = check.target.ok ? check.target.value : undefined;
	const delayMs = check.delay.ok ? check.delay.value : undefined;
	const preflight = usePreflight(engine, repository, target, delayMs);
	const methodChoice = useMethodChoice(engine, repository, isActive);
	const ready = !preflight.loading && canStart(check, preflight.value) && !methodChoice.refused && !methodChoice.checking;

	const start = () => {
		if (!ready || !target || delayMs === undefined) return;
		const {method} = methodChoice;
		// Offline stops AEM: nothing writes, so no freeze (the engine's option rule refuses one).
		const defaults = method === 'offline' ? {...backupDefaults, freezeCmd: undefined, thawCmd: undefined} : backupDefaults;
		backupJob.start({...defaults, repository, target, delayMs, method});
		go({screen: 'progress'});
	};

	const bar = useKeymap(ready ? keymaps.create : keymaps.createWaiting, {
		confirm: start,
		back: () => go({screen: 'home'}),
		nextField: () => dispatch({type: 'focus', direction: 'next'}),
		down: () => dispatch({type: 'focus', direction: 'next'}),
		prevField: () => dispatch({type: 'focus', direction: 'prev'}),
		up: () => dispatch({type: 'focus', direction: 'prev'}),
		left: () => dispatch({type: 'edit', edit: {type: 'left'}}),
		right: () => dispatch({type: 'edit', edit: {type: 'right'}}),
		erase: () => dispatch({type: 'edit', edit: {type: 'erase'}}),
	}, {isActive, onText: text => dispatch({type: 'edit', edit: {type: 'insert', text}})});

	return (
		<Screen title="Create Backup" keys={bar}>
			<TextField label="Target" value={form.target} focused={form.focus === 'target'} reason={check.target.ok ? undefined : check.target.reason} labelWidth={labelWidth} />
			{target ? (
				<Box marginLeft={labelWidth}>
					<Text dimColor={theme.muted}>→ </Text>
					<Box flexShrink={1}><TruncatedPath path={target.path} dim={theme.muted} /></Box>
				</Box>
			) : null}
			<TextField label="Delay" value={form.delay} focused={form.focus === 'delay'} suffix="ms" reason={check.delay.ok ? undefined : check.delay.reason} labelWidth={labelWidth} />
			<MethodField choice={methodChoice} labelWidth={labelWidth} />
			<Box marginTop={1} flexDirection="column">
				<FieldRow label="Checks" width={labelWidth + 4}>
					{preflight.loading
						? <Text color={theme.accent}><Spinner type="dots" /> checking…</Text>
						: <Text color={ready ? theme.success : theme.error} wrap="truncate-end">{ready ? `${symbols.done} ready: Enter starts the backup` : `${symbols.failed} ${preflight.error ?? 'fix the fields above'}`}</Text>}
				</FieldRow>
				{/* The last result stays on screen while the next one loads, so typing does not make the frame jump. */}
				{preflight.value && target && delayMs !== undefined ? <PreflightPanel preflight={preflight.value} labelWidth={labelWidth + 4} /> : null}
			</Box>
		</Screen>
	);
}

function defaultTarget(engine: Props['engine'], repository: Props['repository']): string {
	try {
		return path.relative(repository.backupDir, engine.resolveTarget(repository, undefined).path);
	} catch {
		return defaultTargetName();
	}
}
