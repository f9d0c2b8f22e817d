import {Box, Text} from 'ink';
import {useState, type ReactNode} from 'react';
import type {KeyHandlers} from '../hooks/use-keymap.js';
import {useTheme} from '../theme.js';

/**
 * The top line shown of `total` lines in a window of `height`, and the keys
 * that move it (↑/↓ a line, PgUp/PgDn a window, g/G the ends). The offset is
 * clamped at draw time, so a resize never leaves it past the end.
 */
export function useScroll(total: number, height: number): {offset: number; handlers: KeyHandlers} {
	const [wanted, setWanted] = useState(0);
	// When not all fit, the last row of the window says where it is (ScrollView).
	const window = total <= height ? height : Math.max(1, height - 1);
	const max = Math.max(0, total - window);
	const offset = Math.min(wanted, max);
	const to = (next: number) => setWanted(Math.max(0, Math.min(max, next)));
	return {
		offset,
		handlers: {
			up: () => to(offset - 1),
			down: () => to(offset + 1),
			pageUp: () => to(offset - window),
			pageDown: () => to(offset + window),
			first: () => to(0),
			last: () => to(max),
		},
	};
}

/** `height` of `lines` from `offset`, one line each, with where the window is when not all fit. */
export function ScrollView({lines, offset, height}: {lines: readonly ReactNode[]; offset: number; height: number}) {
	const theme = useTheme();
	const fits = lines.length <= height;
	const shown = fits ? lines : lines.slice(offset, offset + Math.max(1, height - 1));
	return (
		<Box flexDirection="column">
			{shown.map((line, index) => <Box key={offset + index}>{typeof line === 'string' ? <Text wrap="truncate-end">{line || ' '}</Text> : line}</Box>)}
			{fits ? null : <Text dimColor={theme.muted}>{`lines ${offset + 1}–${offset + shown.length} of ${lines.length}`}</Text>}
		</Box>
	);
}
