import {Text} from 'ink';
import {Screen} from '../components/screen.js';
import {ScrollView, useScroll} from '../components/scroll-view.js';
import type {BackupJob} from '../hooks/use-backup-job.js';
import {useColumns, useRows} from '../hooks/use-columns.js';
import type {JobState} from '../hooks/use-job.js';
import {useKeymap} from '../hooks/use-keymap.js';
import {useProgressStore} from '../hooks/use-progress-store.js';
import {keymaps} from '../keymaps.js';
import {backupRowsFor, checklistRows, drillStepRows, restoreStepRows} from '../state/steps.js';
import {symbols, useTheme} from '../theme.js';
import {tuiWords} from '../options/tui-words.js';
import {wrapLines} from '../wrap.js';
import {escapeControls} from '../../words/format.js';

/** The job the log shows: the one started last (running or not). */
export type LoggedJob =
	| {kind: 'backup'; job: BackupJob}
	| {kind: 'restore' | 'verify' | 'drill'; job: Pick<JobState<unknown, unknown>, 'status' | 'store' | 'error'>; subject: string};

const marks = {done: symbols.done, running: symbols.running, failed: symbols.failed, pending: symbols.pending};

/**
 * `l`: the current or last job's stage lines and every warning and error, in
 * full (wrapped, never cut), scrollable. It reads the job's progress store.
 */
export function LogView({logged, close}: {logged?: LoggedJob; close: () => void}) {
	const theme = useTheme();
	const columns = useColumns();
	const rows = useRows();
	const job = logged?.job;
	const snapshot = useProgressStore(job?.store, job?.status === 'running');
	const lines: Array<{text: string; colour?: string}> = [];
	const add = (text: string, colour?: string) => {
		// Subjects, warnings and errors quote file names (untrusted): controls escaped, a line stays a line.
		for (const line of wrapLines(escapeControls(text), columns)) lines.push({text: line, colour});
	};
	if (!logged || !job) add('No job has run yet.');
	else {
		const subject = logged.kind === 'backup' ? (logged.job.options?.target.path ?? '') : logged.subject;
		add(`${logged.kind[0]!.toUpperCase()}${logged.kind.slice(1)} ${subject}: ${job.status}`, theme.accent);
		const template = logged.kind === 'backup'
			? backupRowsFor(logged.job.options?.target.kind ?? 'zip', Boolean(logged.job.options?.freezeCmd || logged.job.options?.aem), logged.job.options?.method)
			: logged.kind === 'restore' ? restoreStepRows() : logged.kind === 'drill' ? drillStepRows() : undefined;
		if (template) for (const row of checklistRows(template, snapshot, job.status)) add(`${marks[row.state]} ${row.label}${row.detail ? `  ${row.detail}` : ''}`);
		else for (const step of snapshot?.completed ?? []) add(`${symbols.done} ${step.step}`);
		for (const warning of snapshot?.warnings ?? []) add(`${symbols.warning} ${tuiWords(warning)}`, theme.warning);
		if (job.error) add(`${symbols.failed} ${tuiWords(job.error)}`, theme.error);
	}
	const window = Math.max(3, rows - 4);
	const scroll = useScroll(lines.length, window);
	const bar = useKeymap(keymaps.log, {back: close, log: close, ...scroll.handlers}, {isActive: true});
	const drawn = lines.map(line => <Text color={line.colour}>{line.text || ' '}</Text>);
	return (
		<Screen title="Log" keys={bar}>
			<ScrollView lines={drawn} offset={scroll.offset} height={window} />
		</Screen>
	);
}
