import {Box, Text} from 'ink';
import type {TextValue} from '../state/text-edit.js';
import {symbols, useTheme} from '../theme.js';
import {Paragraph} from './paragraph.js';

interface Props {
	label: string;
	value: TextValue;
	focused: boolean;
	/** Shown after the text, e.g. "ms". */
	suffix?: string;
	/** The inline reason this value is not usable, under the field. */
	reason?: string;
	labelWidth?: number;
	/** The columns left of the field (a margin around it): the reason wraps in what is left of the terminal. */
	inset?: number;
}

/**
 * A one-line input: the text lives in a reducer (state/text-edit.ts) and the
 * screen's keymap feeds it; this only draws it, with an inverse block for the
 * cursor (the whole text inverse while it is selected: typing replaces it) and
 * `›` on the focused field (visible without colour).
 */
export function TextField({label, value, focused, suffix, reason, labelWidth = 14, inset = 0}: Props) {
	const theme = useTheme();
	const before = value.text.slice(0, value.cursor);
	const at = value.text.slice(value.cursor, value.cursor + 1) || ' ';
	const after = value.text.slice(value.cursor + 1);
	return (
		<Box flexDirection="column">
			<Box>
				<Box width={labelWidth} flexShrink={0}>
					<Text color={focused ? theme.accent : undefined} bold={focused && theme.bold}>{focused ? symbols.pointer : ' '} {label}</Text>
				</Box>
				{/* No overflow="hidden": Ink clips to the innermost such box only, so a cut-off field leaked below the screen (field-row.tsx). */}
				<Box flexShrink={1}>
					{focused && value.selected
						? <Text wrap="truncate-start" inverse>{value.text}</Text>
						: focused
						? <Text wrap="truncate-start">{before}<Text inverse>{at}</Text>{after}</Text>
						: <Text wrap="truncate-middle">{value.text}</Text>}
				</Box>
				{suffix ? <Text dimColor={theme.muted}> {suffix}</Text> : null}
			</Box>
			{reason ? (
				<Box marginLeft={labelWidth}>
					<Paragraph color={theme.error} indent={inset + labelWidth} text={`${symbols.failed} ${reason}`} />
				</Box>
			) : null}
		</Box>
	);
}
