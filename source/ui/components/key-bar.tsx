import {Box, Text} from 'ink';
import {bindings, type KeyName} from '../keys.js';
import type {KeyEntry} from '../keymaps.js';
import {useTheme} from '../theme.js';

/** How a keymap entry's keys read: "↑/k ↓/j", "Enter". */
export const keysText = (names: readonly KeyName[]) => names.map(name => bindings[name].label).join(' ');

/** "d delete": one entry as the key bar shows it. */
export const barText = (entry: KeyEntry) => `${keysText(entry.keys)} ${entry.label}`;

/** The bottom bar every screen shows, from its keymap; one line, cut at the right edge rather than wrapped. */
export function KeyBar({keys}: {keys: readonly KeyEntry[]}) {
	const theme = useTheme();
	return (
		<Box marginTop={1} flexShrink={0}>
			<Text dimColor={theme.muted} wrap="truncate-end">{keys.map(barText).join('  ')}</Text>
		</Box>
	);
}
