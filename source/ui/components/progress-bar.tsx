import {Box, Text} from 'ink';
import {useTheme} from '../theme.js';

/** "██████░░░░  42%": the bar reads without colour; the percentage is floored so 100% means done. */
export function ProgressBar({percent, width}: {percent: number; width: number}) {
	const theme = useTheme();
	const clamped = Math.max(0, Math.min(100, percent));
	const barWidth = Math.max(10, width - 6);
	const filled = Math.round((clamped / 100) * barWidth);
	return (
		<Box>
			<Text color={theme.accent}>{'█'.repeat(filled)}</Text>
			<Text dimColor={theme.muted}>{'░'.repeat(barWidth - filled)}</Text>
			<Text bold={theme.bold}>{`${Math.floor(clamped)}%`.padStart(5)}</Text>
		</Box>
	);
}
