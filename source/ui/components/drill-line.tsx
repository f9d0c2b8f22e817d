import {Text} from 'ink';
import type {DrillHealth, HealthStatus} from '../../engine/types.js';
import {duration} from '../../words/format.js';
import type {AsyncValue} from '../hooks/use-async-value.js';
import {symbols, useTheme} from '../theme.js';

/** Home's "Last drill" line: how long ago, and how long AEM took to come up (or that it did not). */
export function DrillLine({health}: {health: AsyncValue<HealthStatus>}) {
	const theme = useTheme();
	// The status the Health line shows holds the drill too: its error is said there, once.
	if (!health.value?.drill) return null;
	const {text, tone} = drillText(health.value.drill);
	return <Text color={tone === 'muted' ? undefined : theme[tone]} dimColor={tone === 'muted' && theme.muted} wrap="truncate-end">{text}</Text>;
}

/** "2 d ago · AEM up in 11 min 40 s · restore time 14 min": the last drill, said for a glance. */
export function drillText(health: DrillHealth): {text: string; tone: 'success' | 'error' | 'muted'} {
	const {last, lastGood} = health;
	if (!last) return {text: 'none yet: t in Backups runs one', tone: 'muted'};
	const ago = `${duration(health.lastAgeMs ?? 0)} ago`;
	if (last.ok) return {text: `${symbols.done} ${ago} · AEM up in ${duration(last.figures.startMs)} · restore time ${duration(last.figures.rtoMs)}`, tone: 'success'};
	const good = lastGood ? `last good ${duration(health.lastGoodAgeMs ?? 0)} ago` : 'none good yet';
	return {text: `${symbols.failed} ${ago} · failed (${last.result}) · ${good}`, tone: 'error'};
}
