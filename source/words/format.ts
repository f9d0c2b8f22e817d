/** How both front ends word sizes, durations, rates, paths and steps: one module, so they say the same thing the same way. */
import prettyBytes from 'pretty-bytes';
import type {AnyStep, Estimate} from '../engine/types.js';

/** Binary units everywhere: AEM's delay formula is in MiB, so sizes match it. */
export const bytes = (n: number): string => prettyBytes(n, {binary: true, maximumFractionDigits: 1});

/** "350 ms", "4.2 s", "50 s", "3 min 20 s", "2 h 5 min": units spaced like the seed's "50 seconds". */
export function duration(ms: number): string {
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toString()} s`;
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
	return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

export const rate = (bytesPerSecond: number): string => `${bytes(bytesPerSecond)}/s`;

/** What a progress line shows of a step's counts: done, its total, and whether that total is an estimate. */
export interface StepCounts {
	bytesDone: number;
	bytesTotal: number;
	filesDone: number;
	filesTotal: number;
	estimated?: boolean;
}

/** The mark of an estimated total: "71/~78 files", "380 B of ~13.6 MiB". */
const about = (counts: StepCounts): string => (counts.estimated ? '~' : '');

/** "380 B of ~13.6 MiB"; undefined without a total. Both front ends' progress lines take it from here. */
export const bytesOfTotal = (counts: StepCounts): string | undefined =>
	counts.bytesTotal > 0 ? `${bytes(counts.bytesDone)} of ${about(counts)}${bytes(Math.max(counts.bytesTotal, counts.bytesDone))}` : undefined;

/** "71/~78 files"; the done count alone without a total ("71 files"), nothing before the first file. */
export function filesOfTotal(counts: StepCounts): string | undefined {
	const done = counts.filesDone.toLocaleString('en-US');
	if (counts.filesTotal > 0) return `${done}/${about(counts)}${Math.max(counts.filesTotal, counts.filesDone).toLocaleString('en-US')} files`;
	return counts.filesDone > 0 ? `${done} files` : undefined;
}

/**
 * "MiB × ms ÷ 4 = seconds: 200 × 1 ÷ 4 ≈ 50 s": AEM's rule, then the seed's numbers in it, so an operator can
 * work out another delay without the form. The rule comes first: a narrow terminal cuts the end, not the rule.
 */
export function delayFormula(estimate: Estimate): string {
	const mib = estimate.repositoryBytes / 1024 / 1024;
	const shown = mib >= 10 ? Math.round(mib).toString() : mib.toFixed(1);
	return `MiB × ms ÷ ${estimate.divisor} = seconds: ${shown} × ${estimate.delayMs} ÷ ${estimate.divisor} ≈ ${duration(estimate.delaySeconds * 1000)}`;
}

/** Local "YYYY-MM-DD HH:MM", 16 columns. */
export function dateTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '?';
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "/opt/aem/…/backup.zip": keeps both ends of a path that does not fit. */
export function truncateMiddle(text: string, width: number): string {
	if (text.length <= width) return text;
	if (width <= 1) return '…'.slice(0, width);
	const head = Math.ceil((width - 1) / 2);
	const tail = width - 1 - head;
	return `${text.slice(0, head)}…${tail > 0 ? text.slice(-tail) : ''}`;
}

export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = text.length > width ? truncateMiddle(text, width) : text;
	return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

const stringStepLabels: Record<Extract<AnyStep, string>, string> = {
	verify: 'Verify the backup', extract: 'Extract the files', modes: 'Set file modes', push: 'Push to restic', fetch: 'Fetch from restic',
	cleanup: 'Clean up after a killed drill', restore: 'Restore into a scratch folder', start: 'Start AEM there', ready: 'Wait until AEM is ready', stop: 'Stop AEM, delete the copy',
};
const stringStepLines: Record<Extract<AnyStep, string>, string> = {
	verify: 'Verify', extract: 'Extract', modes: 'Fix modes', push: 'Push to restic', fetch: 'Fetch from restic',
	cleanup: 'Clean up', restore: 'Restore', start: 'Start AEM', ready: 'Ready', stop: 'Stop AEM',
};

export function stepLabel(step: AnyStep, writesBlocked = false): string {
	if (typeof step === 'string') return stringStepLabels[step];
	if (step.stage === 'zip') return 'Zipping';
	if (step.stage === 1) return step.phase === 'A' ? 'Stage 1 phase A: all but the datastore' : 'Stage 1 phase B: the datastore';
	if (step.stage === 4) return writesBlocked ? 'Stage 4: last changes, writes blocked' : 'Stage 4: last changes';
	return `Stage ${step.stage}: changes since stage ${step.stage - 1}`;
}

/** The headless log's label: one line per stage and phase, so the phase is always named; restore steps in a word. */
export function stepLineLabel(step: AnyStep): string {
	if (typeof step === 'string') return stringStepLines[step];
	const label = stepLabel(step);
	return step.stage !== 'zip' && step.stage > 1 ? `${label} (phase ${step.phase})` : label;
}

/** C0 and C1 controls, DEL and the Unicode line separators: what could end a line or move the cursor in a terminal or a log. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const escapes: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\'};

/** The controls of `text` written as escapes (\n, \u001b): a line stays one line, whatever a file name holds. */
export const escapeControls = (text: string): string =>
	text.replace(CONTROL, char => escapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A name (a file, a folder, a path) as an operator or a script reads it: as it is when it is plain,
 * else quoted with its controls escaped (a folder named `x\nOK: forged row` cannot forge a line).
 */
export function printableName(name: string): string {
	if (!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return name;
	return `"${name.replace(/["\\]/g, char => escapes[char]!).replace(CONTROL, char => escapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}
