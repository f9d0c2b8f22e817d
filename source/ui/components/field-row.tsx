import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {escapeControls} from '../../words/format.js';
import {useTheme} from '../theme.js';

/**
 * "Label      value": a fixed label column so values line up; the value column shrinks and its text truncates.
 * No overflow="hidden" on the value: Ink 6.8 clips to the innermost such box only, so a row the screen cuts
 * at its bottom still drew its value (without the label) into the key bar's rows.
 */
export function FieldRow({label, width = 14, children}: {label: string; width?: number; children: ReactNode}) {
	const theme = useTheme();
	return (
		<Box>
			<Box width={width} flexShrink={0}><Text dimColor={theme.muted}>{label}</Text></Box>
			<Box flexGrow={1} flexShrink={1}>{typeof children === 'string' ? <Text wrap="truncate-end">{escapeControls(children)}</Text> : children}</Box>
		</Box>
	);
}
