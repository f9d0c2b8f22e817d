import {Text} from 'ink';
import {symbols, useTheme} from '../theme.js';

/** The y/N question line; the screen's keymap answers it (state/confirm.ts). */
export function Confirm({question}: {question: string}) {
	const theme = useTheme();
	return <Text color={theme.warning} bold={theme.bold} wrap="wrap">{symbols.warning} {question} [y/N]</Text>;
}
