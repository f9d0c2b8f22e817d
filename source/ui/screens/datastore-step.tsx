import path from 'node:path';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {FieldRow} from '../components/field-row.js';
import {Paragraph} from '../components/paragraph.js';
import {TextField} from '../components/text-field.js';
import type {DestinationCheck} from '../destination.js';
import type {AsyncValue} from '../hooks/use-async-value.js';
import type {RestoreWizardState} from '../state/restore-wizard.js';
import {symbols, useTheme} from '../theme.js';

/**
 * The restore wizard's question for a backup that holds an external datastore:
 * where it goes, prefilled with the path its manifest records, and
 * checked live by the same rule as the destination (new or empty folder).
 */
export function DatastoreStep({state, check, recorded}: {state: RestoreWizardState; check: AsyncValue<DestinationCheck>; recorded?: string}) {
	const theme = useTheme();
	const text = state.datastore?.text ?? '';
	const current = check.key === text ? check.value : undefined;
	const reason = current && !current.ok ? current.reason : undefined;
	const moved = recorded !== undefined && path.resolve(text.trim()) !== recorded;
	return (
		<Box flexDirection="column">
			<FieldRow label="Recorded" width={10}><Text wrap="truncate-middle">{recorded ?? 'no usable path: type one'}</Text></FieldRow>
			<Box marginTop={1}>{state.datastore ? <TextField label="Datastore" value={state.datastore} focused reason={reason} labelWidth={10} /> : null}</Box>
			<Box marginLeft={10}>
				{check.loading ? <Text color={theme.accent}><Spinner type="dots" /> checking…</Text> : null}
				{!check.loading && current?.ok ? <Text color={theme.success} wrap="truncate-middle">{symbols.done} {current.exists ? 'an empty folder' : 'a new folder, created by the restore'}: {current.path}</Text> : null}
			</Box>
			<Paragraph dim={theme.muted} text="The backup holds an external datastore; it goes into a new or empty folder." />
			{moved ? <Paragraph color={theme.warning} text={`${symbols.warning} AEM's configuration keeps the recorded path: point it here by hand (the CLI's --point-config does).`} /> : null}
		</Box>
	);
}
