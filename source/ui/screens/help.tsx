import {Box, Text} from 'ink';
import {Screen} from '../components/screen.js';
import {keysText} from '../components/key-bar.js';
import {helpSections, keymaps, type Keymap} from '../keymaps.js';
import {useTheme} from '../theme.js';

/** How a backup runs, after the seed: the operator should know why there are four stages. */
const about = [
	'A hot backup copies in four stages while AEM runs: stage 1 copies everything',
	'(phase A all but the datastore, phase B the datastore), stages 2 and 3 copy',
	'what changed since, stage 4 copies the last changes with writes blocked.',
	'A zip target is staged in a folder first, then compressed.',
];

/**
 * One section's text, drawn from its keymaps: each key once, in keymap order.
 * `?` is said once, under Everywhere; entries with no words repeat another.
 */
export function helpText(maps: readonly Keymap[], everywhere: boolean): string {
	const seen = new Set<string>();
	const parts: string[] = [];
	for (const entry of maps.flat()) {
		if (!entry.description || (entry.global && !everywhere)) continue;
		const text = `${keysText(entry.keys)} ${entry.description}`;
		if (seen.has(text)) continue;
		seen.add(text);
		parts.push(text);
	}
	return parts.join(' · ');
}

export function Help() {
	const theme = useTheme();
	return (
		<Screen title="Help" keys={keymaps.help}>
			{helpSections.map(({title, maps}) => (
				<Box key={title}>
					<Box width={15} flexShrink={0}><Text bold={theme.bold}>{title}</Text></Box>
					<Box flexShrink={1}><Text wrap="wrap">{helpText(maps.map(name => keymaps[name]), maps.includes('everywhere'))}</Text></Box>
				</Box>
			))}
			<Box marginTop={1} flexDirection="column">{about.map(line => <Text key={line} dimColor={theme.muted} wrap="truncate-end">{line}</Text>)}</Box>
		</Screen>
	);
}
