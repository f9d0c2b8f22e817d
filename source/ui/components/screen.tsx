import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {useColumns} from '../hooks/use-columns.js';
import {useTheme} from '../theme.js';
import type {KeyEntry} from '../keymaps.js';
import {KeyBar} from './key-bar.js';

/** The frame of every screen: a title line, the body, the key bar. Never wider than the terminal. */
export function Screen({title, keys, children}: {title: string; keys: readonly KeyEntry[]; children: ReactNode}) {
	const columns = useColumns();
	return (
		<Box flexDirection="column" width={columns}>
			<Title text={title} />
			<Box flexDirection="column" marginTop={1}>{children}</Box>
			<KeyBar keys={keys} />
		</Box>
	);
}

export function Title({text}: {text: string}) {
	const theme = useTheme();
	return <Text bold={theme.bold} color={theme.accent} wrap="truncate-end">crx-backup › {text}</Text>;
}
