import prettyBytes from 'pretty-bytes';
import prettyMilliseconds from 'pretty-ms';
import type {RestoreStep, Step} from '../engine/types.js';

/** Shared by the printers and the TUI, so both front ends say the same thing the same way. */
export const formatBytes = (bytes: number) => prettyBytes(bytes, {binary: true});
export const formatDuration = (ms: number) => prettyMilliseconds(Math.max(0, ms), {secondsDecimalDigits: 0, millisecondsDecimalDigits: 0, compact: ms >= 60_000 ? false : undefined});
export const formatRate = (bytesPerSecond: number) => `${prettyBytes(bytesPerSecond, {binary: true})}/s`;

export function stepLabel(step: Step | RestoreStep): string {
	if (typeof step === 'string') return {verify: 'Verify', extract: 'Extract', modes: 'Fix modes'}[step];
	if (step.stage === 'zip') return 'Zipping';
	return `Stage ${step.stage} phase ${step.phase}`;
}

/** Cuts the middle out of a long path so it fits `width` columns. */
export function truncateMiddle(text: string, width: number): string {
	if (width <= 1) return text.slice(0, Math.max(0, width));
	if (text.length <= width) return text;
	const keep = width - 1;
	const head = Math.ceil(keep / 3);
	return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}
