import {Box, Text} from 'ink';
import type {OptionDescriptor} from '../options/descriptors.js';
import type {TextValue} from '../state/text-edit.js';
import {symbols, useTheme} from '../theme.js';
import {Paragraph} from './paragraph.js';
import {TextField} from './text-field.js';

interface Props {
	options: readonly OptionDescriptor[];
	/** Each option's current value: the field's text, or the toggle's tick. */
	value: (key: string) => TextValue | boolean;
	focus: string;
	/** The one-sentence refusal of an option's rule, under its field. */
	reason?: (key: string) => string | undefined;
	labelWidth: number;
	/** The columns left of these fields (a margin around them): the help and refusals wrap in what is left. */
	inset?: number;
}

/** Options drawn from their descriptors: a text field or a `[x]` toggle each, and the focused one's flag and help. */
export function OptionFields({options, value, focus, reason, labelWidth, inset = 0}: Props) {
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
							<TextField label={option.label} value={current} focused={focused} suffix={option.suffix} reason={reason?.(option.key)} labelWidth={labelWidth} inset={inset} />
						)}
						{focused ? (
							<Box marginLeft={typeof current === 'boolean' ? 6 : labelWidth}>
								<Paragraph dim={theme.muted} indent={inset + (typeof current === 'boolean' ? 6 : labelWidth)} text={`${option.flag}: ${option.help}`} />
							</Box>
						) : null}
					</Box>
				);
			})}
		</Box>
	);
}
