import {Box, Text} from 'ink';
import {useColumns} from '../hooks/use-columns.js';
import {bindings, type KeyName} from '../keys.js';
import type {KeyEntry} from '../keymaps.js';
import {useTheme} from '../theme.js';

/** How a keymap entry's keys read: "↑/k ↓/j", "Enter". */
export const keysText = (names: readonly KeyName[]) => names.map(name => bindings[name].label).join(' ');

/** "d delete": one entry as the key bar shows it. */
export const barText = (entry: KeyEntry) => `${keysText(entry.keys)} ${entry.label}`;

/** The keys an operator must always find, at any width: how to get help and how to leave. */
const kept = (entry: KeyEntry) => entry.keys.includes('help') || entry.keys.includes('quit');

/**
 * The key bar's one line in `width` columns: every entry when they fit; otherwise as many of the
 * screen's own entries as fit, whole, then "…", and `? help` and `q quit` always, at the end.
 */
export function keyBarLine(keys: readonly KeyEntry[], width: number): string {
	const length = (text: string) => [...text].length;
	const all = keys.map(barText).join('  ');
	if (length(all) <= width) return all;
	const tail = ['…', ...keys.filter(kept).map(barText)].join('  ');
	const head: string[] = [];
	for (const entry of keys.filter(entry => !kept(entry))) {
		if (length([...head, barText(entry), tail].join('  ')) > width) break;
		head.push(barText(entry));
	}
	return [...head, tail].join('  ');
}

/** The bottom bar every screen shows, from its keymap; one line, never wrapped (keyBarLine). */
export function KeyBar({keys}: {keys: readonly KeyEntry[]}) {
	const theme = useTheme();
	const columns = useColumns();
	return (
		<Box marginTop={1} flexShrink={0}>
			<Text dimColor={theme.muted} wrap="truncate-end">{keyBarLine(keys, columns)}</Text>
		</Box>
	);
}
