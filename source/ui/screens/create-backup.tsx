import path from 'node:path';
import {defaultTargetName} from '../../engine/index.js';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {useEffect, useMemo, useReducer} from 'react';
import {FieldRow} from '../components/field-row.js';
import {OptionFields} from '../components/option-fields.js';
import {MethodField, methodNote} from '../components/method-field.js';
import {Paragraph} from '../components/paragraph.js';
import {BackupWarnings} from '../components/backup-warnings.js';
import {useMethodChoice} from '../hooks/use-method-choice.js';
import {useColumns, useRows} from '../hooks/use-columns.js';
import {wrapLines} from '../wrap.js';
import {parseMethod} from '../../engine/index.js';
import {Screen} from '../components/screen.js';
import {TextField} from '../components/text-field.js';
import {TruncatedPath} from '../components/truncated-path.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {usePreflight} from '../hooks/use-preflight.js';
import {useSettledEnter} from '../hooks/use-settled-enter.js';
import {keymaps} from '../keymaps.js';
import {backupOptionDescriptors, backupOptionGroups} from '../options/descriptors.js';
import {tuiWords} from '../options/tui-words.js';
import type {ScreenProps} from '../routes.js';
import {canStart, checkCreateForm, createFormReducer, initialCreateForm, isText, nextStartingWith, notReadyReason, resumeCreateForm, type CreateFormState, type CreatePrefill} from '../state/create-form.js';
import {textKeyHandlers} from '../state/text-keys.js';
import {textValue} from '../state/text-edit.js';
import type {BackupMethod} from '../../engine/types.js';
import {symbols, useTheme} from '../theme.js';
import {OptionsHeader} from './options-header.js';
import {PreflightPanel} from './preflight-panel.js';

/** The Create form as it was left: the root keeps it, so Esc, Help or a backup in between lose nothing typed. */
export interface SavedCreate {
	form: CreateFormState;
	method: BackupMethod;
}

interface Props extends ScreenProps {
	backupJob: BackupJob;
	saved?: SavedCreate;
	save?: (saved: SavedCreate) => void;
	/** The options the TUI was started with (--freeze-cmd, --delay…, or the demo's writer): the form starts with them. */
	prefill?: CreatePrefill;
}

const labelWidth = 10;
const shown = backupOptionDescriptors.filter(option => 'always' in option && option.always);
const inside = backupOptionGroups.flatMap(group => group.options);
/** The open section's rows: each group's heading, then its options. */
type SectionRow = {key: string; heading: string} | (typeof inside)[number];
const sectionRows: SectionRow[] = backupOptionGroups.flatMap(group => [{key: `group:${group.group}`, heading: group.group}, ...group.options]);

export function CreateBackup({engine, repository, isActive, go, backupJob, prefill, saved, save}: Props) {
	const theme = useTheme();
	// The default target, shown relative to the default backup folder (where relative targets resolve).
	// When that name is taken (a folder of that name, say) the field still shows it, with the reason inline.
	const [form, dispatch] = useReducer(createFormReducer, undefined, () => (saved ? resumeCreateForm(saved.form, typeof prefill?.target === 'string' ? prefill.target : defaultTarget(engine, repository)) : initialCreateForm(defaultTarget(engine, repository), prefill)));
	const rows = useRows();
	const columns = useColumns();
	const methodChoice = useMethodChoice(engine, repository, saved?.method ?? initialMethod(prefill));
	const {method} = methodChoice;
	useEffect(() => {
		save?.({form, method});
	}, [form, method]); // eslint-disable-line react-hooks/exhaustive-deps
	// Offline stops AEM: nothing writes, so no freeze (the CLI refuses one; here the demo's or --freeze-cmd's is left out).
	const choices = useMemo(() => (method === 'offline' ? {method, freezeCmd: undefined, thawCmd: undefined, aem: undefined} : {method}), [method]);
	const check = useMemo(() => checkCreateForm(form, text => engine.resolveTarget(repository, text), choices), [form, engine, repository, choices]);
	const target = check.target.ok ? check.target.value : undefined;
	const delayMs = check.delay.ok ? check.delay.value : undefined;
	const preflight = usePreflight(engine, repository, target, delayMs, check.options?.exclude);
	const ready = !preflight.loading && canStart(check, preflight.value, form.force) && !methodChoice.refused && !methodChoice.checking;
	const onText = isText(form.focus);

	const start = () => {
		if (!ready || !target || delayMs === undefined || !check.options) return;
		// The started backup takes the target's name: the next form gets its default again (a fresh name,
		// or --target as given: a directory target is re-synced), the options stay.
		save?.({form: {...form, target: textValue(form.defaults.target ?? '')}, method});
		backupJob.start({...check.options, repository, target, delayMs, ...(form.force ? {force: true} : {}), ...(check.after ? {after: check.after} : {})});
		go({screen: 'progress'});
	};

	// Typed ahead (`name.zip Tab 5 Enter` in one write), Enter waits for the checks and then acts on their verdict.
	const enter = useSettledEnter(preflight.settling || methodChoice.checking, start);
	const focus = (direction: 'next' | 'prev') => () => dispatch({type: 'focus', direction});
	// Off a text field a letter jumps to the next option it starts (g/G: first/last); q and l keep their
	// meaning (quit, log), Space its toggle, and a letter no option starts goes on to the keymap (j moves).
	const jump = (text: string): boolean => {
		if (text === 'g' || text === 'G') {
			dispatch({type: 'edge', which: text === 'g' ? 'first' : 'last'});
			return true;
		}
		if (!/^[a-zA-Z]$/.test(text) || text === 'q' || text === 'l' || !nextStartingWith(form.focus, text)) return false;
		dispatch({type: 'jump', letter: text});
		return true;
	};
	const keymap = onText ? (ready ? keymaps.createTyping : keymaps.createTypingWaiting) : (ready ? keymaps.create : keymaps.createWaiting);
	const bar = useKeymap(keymap, {
		confirm: enter.press,
		back: () => (form.optionsOpen ? dispatch({type: 'closeOptions'}) : go({screen: 'home'})),
		cycleMethod: methodChoice.cycle,
		nextField: focus('next'),
		down: focus('next'),
		prevField: focus('prev'),
		up: focus('prev'),
		pageDown: () => dispatch({type: 'group', direction: 'next'}),
		pageUp: () => dispatch({type: 'group', direction: 'prev'}),
		...(onText ? textKeyHandlers(edit => dispatch({type: 'edit', edit})) : {
			toggle: () => dispatch({type: 'toggle'}),
			first: () => dispatch({type: 'edge', which: 'first'}),
			last: () => dispatch({type: 'edge', which: 'last'}),
		}),
	}, {isActive, busy: enter.waiting, onText: onText ? text => dispatch({type: 'edit', edit: {type: 'insert', text}}) : jump});

	// The open Options section shows as many rows as the terminal leaves, around the focused one, so the checks
	// stay on screen: at 60×20 the method's note and the focused option's help wrap to 2–3 lines each.
	// The focused option's refusal and a long Checks sentence wrap too.
	const reason = (key: string) => (key === 'delay' ? (check.delay.ok ? undefined : check.delay.reason) : check.reasons[key as keyof typeof check.reasons]);
	const checksText = ready ? `${symbols.done} ready: Enter starts the backup` : `${symbols.failed} ${preflight.error ? tuiWords(preflight.error) : notReadyReason(check, preflight.value, {force: form.force, methodRefused: methodChoice.refused, method, optionsOpen: form.optionsOpen})}`;
	// Every refusal under an option's field takes rows too (the focused one's is counted with its help).
	const refusedRows = inside.filter(option => option.key !== form.focus && reason(option.key)).reduce((sum, option) => sum + wrapLines(`${symbols.failed} ${reason(option.key)!}`, columns - 2 - 14).length, 0);
	const wrapped = wrapLines(methodNote(methodChoice), columns - labelWidth).length + helpRows(form.focus, columns, reason(form.focus)) + wrapLines(checksText, columns - labelWidth - 2).length - 1 + refusedRows;
	const window = optionsWindow(sectionRows, form.focus, Math.max(4, rows - fixedRows - wrapped));
	const value = (key: string) => form[key as keyof CreateFormState] as ReturnType<Parameters<typeof OptionFields>[0]['value']>;
	const checksRow = (
		<Box marginTop={1}>
			<FieldRow label="Checks" width={labelWidth + 2}>
				{preflight.loading
					? <Text color={theme.accent}><Spinner type="dots" /> checking…{enter.waiting ? ' Enter starts the backup once they pass' : ''}</Text>
					: <Paragraph color={ready ? theme.success : theme.error} indent={labelWidth + 2} text={checksText} />}
			</FieldRow>
		</Box>
	);
	return (
		<Screen title="Create Backup" keys={bar} footer={checksRow}>
			<TextField label="Target" value={form.target} focused={form.focus === 'target'} reason={check.target.ok ? undefined : check.target.reason} labelWidth={labelWidth} />
			{target ? (
				<Box marginLeft={labelWidth}>
					<Text dimColor={theme.muted}>→ </Text>
					<Box flexShrink={1}><TruncatedPath path={target.path} dim={theme.muted} /></Box>
				</Box>
			) : null}
			<OptionFields options={shown} value={value} focus={form.focus} reason={reason} labelWidth={labelWidth} />
			<Box marginLeft={2}><MethodField choice={methodChoice} labelWidth={labelWidth - 2} inset={2} /></Box>
			<OptionsHeader form={form} focused={form.focus === 'options'} labelWidth={labelWidth} />
			{form.optionsOpen ? (
				<Box marginLeft={2} flexDirection="column">
					{window.above > 0 ? <Text dimColor={theme.muted}>  ↑ {window.above} more</Text> : null}
					{window.options.map(row => ('heading' in row
						? <Text key={row.key} bold={theme.bold} dimColor={!theme.bold && theme.muted}>{row.heading}</Text>
						: <OptionFields key={row.key} options={[row]} value={value} focus={form.focus} reason={reason} labelWidth={14} inset={2} />))}
					{window.below > 0 ? <Text dimColor={theme.muted}>  ↓ {window.below} more</Text> : null}
				</Box>
			) : null}
			<Box marginTop={1} flexDirection="column">
				{/* The last result stays on screen while the next one loads, so typing does not make the frame jump. */}
				{preflight.value && target && delayMs !== undefined ? <PreflightPanel preflight={preflight.value} labelWidth={labelWidth + 2} /> : null}
				<BackupWarnings options={check.options} labelWidth={labelWidth + 2} />
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

/** Rows of the form that are not the options' window or the notes that wrap: title and key bar (4), Target, its path, Delay, Method, Options (5), the checks (2). */
const fixedRows = 11;

/** The rows the focused option's help takes under it, wrapped as OptionFields draws it (inside the section's margin of 2). */
function helpRows(focus: string, columns: number, refused?: string): number {
	const option = inside.find(candidate => candidate.key === focus);
	if (!option) return 0;
	const width = columns - 2 - (option.kind === 'toggle' ? 6 : 14);
	return wrapLines(`${option.flag}: ${option.help}`, width).length + (refused ? wrapLines(`${symbols.failed} ${refused}`, width).length : 0);
}

/** --method given to the TUI (a bad one was refused before the screen opened); online otherwise. */
function initialMethod(prefill: CreatePrefill | undefined) {
	try {
		return parseMethod(typeof prefill?.method === 'string' ? prefill.method : undefined);
	} catch {
		return 'online';
	}
}

/** A window of `size` rows of the options, holding the focused one (the first rows while the focus is above them). */
function optionsWindow<Row extends {key: string}>(rows: readonly Row[], focus: string, size: number): {options: Row[]; above: number; below: number} {
	if (rows.length <= size) return {options: [...rows], above: 0, below: 0};
	const room = size - 2; // Two rows for the "more" lines.
	const at = Math.max(0, rows.findIndex(row => row.key === focus));
	let start = Math.min(Math.max(0, at - Math.floor(room / 2)), rows.length - room);
	// The focused option's group heading stays in view when it is the row just above (room is at least 2).
	if (at > 0 && 'heading' in rows[at - 1]! && start > at - 1) start = at - 1;
	// "more" counts options, not the headings between them.
	const options = (part: readonly Row[]) => part.filter(row => !('heading' in row)).length;
	return {options: rows.slice(start, start + room), above: options(rows.slice(0, start)), below: options(rows.slice(start + room))};
}
