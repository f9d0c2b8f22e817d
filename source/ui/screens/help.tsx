import {Box, Text} from 'ink';
import {Screen} from '../components/screen.js';
import {useTheme} from '../theme.js';

const sections: Array<[string, string[]]> = [
	['Everywhere', ['↑/k ↓/j move · Enter choose · Esc back · ? this help', 'Ctrl+C cancels a running backup or restore, then quits']],
	['Home', ['c create backup · b backups · r restore · p progress · q quit']],
	['Create Backup', ['Tab, ↑/↓ switch fields · Enter starts when the checks pass']],
	['Progress', ['x cancel (asks first) · Esc home, the backup keeps running']],
	['Backups', ['d delete (asks first) · v verify · r restore the selected one']],
	['Restore', ['Space toggles · Enter next · Esc one step back until it starts · x cancels it while it runs (asks first)']],
];

/** How a backup runs, after the seed: the operator should know why there are four stages. */
const about = [
	'A hot backup copies in four stages while AEM runs: stage 1 copies everything',
	'(phase A all but the datastore, phase B the datastore), stages 2 and 3 copy',
	'what changed since, stage 4 copies the last changes with writes blocked.',
	'A zip target is staged in a folder first, then compressed.',
];

export function Help() {
	const theme = useTheme();
	return (
		<Screen title="Help" hints={[['back', 'close'], ['help', 'close']]}>
			{sections.map(([title, lines]) => (
				<Box key={title}>
					<Box width={15} flexShrink={0}><Text bold={theme.bold}>{title}</Text></Box>
					<Box flexDirection="column" flexShrink={1}>{lines.map(line => <Text key={line} wrap="truncate-end">{line}</Text>)}</Box>
				</Box>
			))}
			<Box marginTop={1} flexDirection="column">{about.map(line => <Text key={line} dimColor={theme.muted} wrap="truncate-end">{line}</Text>)}</Box>
		</Screen>
	);
}
