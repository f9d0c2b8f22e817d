import {Box, Text} from 'ink';
import {bindings, type KeyName} from '../keys.js';
import {useTheme} from '../theme.js';

/** [meaning(s), what it does here]: the keys themselves come from keys.ts. */
export type KeyHint = readonly [KeyName | readonly KeyName[], string];

const keysOf = (names: KeyName | readonly KeyName[]) => (typeof names === 'string' ? [names] : names).map(name => bindings[name].label).join(' ');

/** The bottom bar every screen shows; one line, cut at the right edge rather than wrapped. */
export function KeyBar({hints}: {hints: readonly KeyHint[]}) {
	const theme = useTheme();
	const text = hints.map(([names, label]) => `${keysOf(names)} ${label}`).join('  ');
	return (
		<Box marginTop={1}>
			<Text dimColor={theme.muted} wrap="truncate-end">{text}</Text>
		</Box>
	);
}
