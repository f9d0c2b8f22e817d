import {Text} from 'ink';
import {defaultMaxAgeMs} from '../../engine/option-rules.js';
import type {Engine, HealthStatus, Repository} from '../../engine/types.js';
import {duration} from '../../words/format.js';
import {useAsyncValue, type AsyncValue} from '../hooks/use-async-value.js';
import {symbols, useTheme} from '../theme.js';

/**
 * `crx-backup status` once for Home: its Health line and its Last drill line both read it (status also cleans up
 * after a killed drill, which must not run twice per screen).
 */
export function useHealth(engine: Engine, repository: Repository): AsyncValue<HealthStatus> {
	// A fake engine in a screen test may have no status: then the lines stay empty.
	return useAsyncValue((engine as Partial<Engine>).status ? 'health' : undefined, async () => engine.status({repository, maxAgeMs: defaultMaxAgeMs}));
}

/** `crx-backup status` at a glance, for Home: the state, the newest backup's age and the last run, one truncated line. */
export function HealthLine({health}: {health: AsyncValue<HealthStatus>}) {
	const theme = useTheme();
	if (!health.value) return health.error ? <Text color={theme.error} wrap="truncate-end">{symbols.failed} {health.error}</Text> : null;
	const {symbol, colour} = look(health.value.state, theme);
	return <Text color={colour} wrap="truncate-end">{symbol} {healthText(health.value)}</Text>;
}

function look(state: HealthStatus['state'], theme: ReturnType<typeof useTheme>) {
	if (state === 'ok') return {symbol: symbols.done, colour: theme.success};
	if (state === 'failed') return {symbol: symbols.failed, colour: theme.error};
	return {symbol: symbols.warning, colour: theme.warning};
}

/** "stale: newest 27 h old (max 26 h), last run succeeded": the status line's facts, shorter. */
export function healthText(health: HealthStatus): string {
	const age = health.newest ? `newest ${duration(health.newest.ageMs)} old (max ${duration(health.maxAgeMs)})` : 'no complete backup';
	const run = !health.lastRun ? 'no run recorded' : health.lastRun.exitCode === 0 ? 'last run succeeded' : `last run ${health.lastRun.outcome === 'cancelled' ? 'cancelled' : 'failed'} (exit ${health.lastRun.exitCode})`;
	return `${health.state}: ${age}, ${run}`;
}
