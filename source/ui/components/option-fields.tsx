import {Box, Text} from 'ink';
import type {OptionDescriptor} from '../options/descriptors.js';
import type {TextValue} from '../state/text-edit.js';
import {symbols, useTheme} from '../theme.js';
import {TextField} from './text-field.js';

interface Props {
	options: readonly OptionDescriptor[];
	/** Each option's current value: the field's text, or the toggle's tick. */
	value: (key: string) => TextValue | boolean;
	focus: string;
	/** The one-sentence refusal of an option's rule, under its field. */
	reason?: (key: string) => string | undefined;
	labelWidth: number;
}

/** Options drawn from their descriptors: a text field or a `[x]` toggle each, and the focused one's flag and help. */
export function OptionFields({options, value, focus, reason, labelWidth}: Props) {
	const theme = useTheme();
	return (
		<Box flexDirection="column">
			{options.map(option => {
				const current = value(option.key);
				const focused = focus === option.key;
				return (
					<Box key={option.key} flexDirection="column">
						{typeof current === 'boolean' ? (
							// The label wraps under itself, never cut: the restore's toggles are sentences (60 columns cut "marked in pro…").
							<Box>
								<Box flexShrink={0}><Text color={focused ? theme.accent : undefined} bold={focused && theme.bold}>{focused ? symbols.pointer : ' '} [{current ? 'x' : ' '}] </Text></Box>
								<Box flexShrink={1}><Text color={focused ? theme.accent : undefined} bold={focused && theme.bold} wrap="wrap">{option.label}</Text></Box>
							</Box>
						) : (
							<TextField label={option.label} value={current} focused={focused} suffix={option.suffix} reason={reason?.(option.key)} labelWidth={labelWidth} />
						)}
						{focused ? (
							<Box marginLeft={typeof current === 'boolean' ? 6 : labelWidth}>
								<Text dimColor={theme.muted}>{option.flag}: {option.help}</Text>
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
