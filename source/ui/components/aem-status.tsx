import {Text} from 'ink';
import {probeAem} from '../../engine/index.js';
import {useAsyncValue} from '../hooks/use-async-value.js';
import {symbols, useTheme} from '../theme.js';
import {Pending} from './pending.js';

/** Home's AEM row (--aem): whether its JMX console answers, so a wrong password shows before a backup needs it. */
export function AemStatus({aem}: {aem: {url: string; user?: string}}) {
	const theme = useTheme();
	const probe = useAsyncValue(`aem ${aem.url} ${aem.user ?? ''}`, async () => probeAem(aem));
	if (!probe.value) return <Pending loading={probe.loading} error={probe.error} label="asking AEM…">{undefined}</Pending>;
	const {reachable, message} = probe.value;
	return <Text color={reachable ? theme.success : theme.error} wrap="truncate-end">{reachable ? symbols.done : symbols.failed} {message}</Text>;
}
