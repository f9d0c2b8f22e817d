import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useColumns} from '../hooks/use-columns.js';
import {useTheme} from '../theme.js';
import type {KeyEntry} from '../keymaps.js';
import {KeyBar} from './key-bar.js';

/**
 * The frame of every screen: a title line, the body, the key bar at the bottom
 * of the terminal, and above it an optional footer that is never cut. Never wider than the terminal; a body taller than the space
 * left is cut at the bottom (the key bar stays), never pushed off the top.
 */
export function Screen({title, keys, footer, children}: {title: string; keys: readonly KeyEntry[]; footer?: ReactNode; children: ReactNode}) {
	const columns = useColumns();
	return (
		<Box flexDirection="column" width={columns} flexGrow={1}>
			<Title text={title} />
			<Box flexDirection="column" marginTop={1} flexGrow={1} flexShrink={1} overflow="hidden">
				<Box flexDirection="column" flexShrink={0}>{children}</Box>
			</Box>
			{/* Never cut: what Enter will do (the Create form's Checks line) stays on screen whatever the body holds. */}
			{footer ? <Box flexDirection="column" flexShrink={0}>{footer}</Box> : null}
			<KeyBar keys={keys} />
		</Box>
	);
}

export function Title({text}: {text: string}) {
	const theme = useTheme();
	return <Text bold={theme.bold} color={theme.accent} wrap="truncate-end">crx-backup › {text}</Text>;
}
