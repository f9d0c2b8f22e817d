import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {symbols, useTheme} from '../theme.js';

export type RowState = 'done' | 'running' | 'pending' | 'failed';

export interface ChecklistRow {
	key: string;
	label: string;
	state: RowState;
	/** Figures on the right: "1,204 files  120 MiB  12 s". */
	detail?: string;
}

/** One step: ✔ done, a spinner while running, ✖ failed, · still to come. */
/** Widths are explicit, so a row is one line whatever its parent (a screen body, the log view). */
export function ChecklistLine({row, width}: {row: ChecklistRow; width: number}) {
	const theme = useTheme();
	const mark = {
		done: <Text color={theme.success}>{symbols.done}</Text>,
		running: <Text color={theme.accent}><Spinner type="dots" /></Text>,
		failed: <Text color={theme.error}>{symbols.failed}</Text>,
		pending: <Text dimColor={theme.muted}>{symbols.pending}</Text>,
	}[row.state];
	return (
		<Box width={width}>
			<Box width={2} flexShrink={0}>{mark}</Box>
			<Box width={Math.max(10, width - 2 - (row.detail ? row.detail.length + 2 : 0))} flexShrink={1}>
				<Text dimColor={row.state === 'pending' && theme.muted} bold={row.state === 'running' && theme.bold} wrap="truncate-end">{row.label}</Text>
			</Box>
			{/* Two columns at least: a label ending in a number ("since stage 1") must not run into the figures. */}
			{row.detail ? <Box flexShrink={0} marginLeft={2}><Text dimColor={theme.muted}>{row.detail}</Text></Box> : null}
		</Box>
	);
}

