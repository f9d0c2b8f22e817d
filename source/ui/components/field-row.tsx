import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useTheme} from '../theme.js';

/** "Label      value": a fixed label column so values line up; the value column shrinks and truncates. */
export function FieldRow({label, width = 14, children}: {label: string; width?: number; children: ReactNode}) {
	const theme = useTheme();
	return (
		<Box>
			<Box width={width} flexShrink={0}><Text dimColor={theme.muted}>{label}</Text></Box>
			<Box flexGrow={1} flexShrink={1} overflow="hidden">{typeof children === 'string' ? <Text wrap="truncate-end">{children}</Text> : children}</Box>
		</Box>
	);
}
