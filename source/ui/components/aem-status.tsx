import {Text} from 'ink';
import {useEffect} from 'react';
import {probeAem} from '../../engine/index.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {symbols, useTheme} from '../theme.js';
import {Pending} from './pending.js';

/** How often the row asks again: AEM goes down and comes back (an offline backup restarts it) while Home is open. */
export const aemStatusRefreshMs = 3000;

/** Home's AEM row (--aem): whether its JMX console answers, so a wrong password shows before a backup needs it. */
export function AemStatus({aem}: {aem: {url: string; user?: string}}) {
	const theme = useTheme();
	const probe = useAsyncValue(`aem ${aem.url} ${aem.user ?? ''}`, async () => probeAem(aem));
	const {reload} = probe;
	// The last answer stays on screen while the next one is asked: no flicker, and a stale answer lasts one period at most.
	useEffect(() => {
		const timer = setInterval(reload, aemStatusRefreshMs);
		return () => clearInterval(timer);
	}, [reload]);
	if (!probe.value) return <Pending loading={probe.loading} error={probe.error} label="asking AEM…">{undefined}</Pending>;
	const {reachable, message} = probe.value;
	return <Text color={reachable ? theme.success : theme.error} wrap="truncate-end">{reachable ? symbols.done : symbols.failed} {message}</Text>;
}
