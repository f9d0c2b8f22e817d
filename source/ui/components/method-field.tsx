import {Box, Text} from 'ink';
import {methods} from '../../engine/index.js';
import type {BackupMethod} from '../../engine/types.js';
import type {MethodChoice} from '../hooks/use-method-choice.js';
import {symbols, useTheme} from '../theme.js';
import {FieldRow} from './field-row.js';
import {Paragraph} from './paragraph.js';

/** Each method's cost in one line: writes blocked, downtime, disk space. */
export const methodCost: Record<BackupMethod, string> = {
	online: 'writes blocked for a last walk of the tree (grows with its size); no downtime; no extra disk',
	snapshot: 'writes blocked only across the snapshot (ms); no downtime; disk for what changes meanwhile',
	offline: 'AEM stopped for the copy (for stop + snapshot + start with a snapshot); no extra disk',
};

/** The line under the Method field: the chosen method's cost, or why it cannot run here (the Create form counts its rows). */
export const methodNote = (choice: MethodChoice): string => (choice.refused ? `${symbols.failed} ${choice.refused}` : `${methodCost[choice.method]}${choice.checking ? ' (checking…)' : ''}`);

/** The Method field: the three methods with the chosen one marked, then its cost, or why it cannot run here. `inset`: the columns left of the field. */
export function MethodField({choice, labelWidth, inset = 0}: {choice: MethodChoice; labelWidth: number; inset?: number}) {
	const theme = useTheme();
	return (
		<Box flexDirection="column">
			<FieldRow label="Method" width={labelWidth}>
				<Text wrap="truncate-end">
					{methods.map(method => (method === choice.method ? `[${method}]` : ` ${method} `)).join(' ')}
					<Text dimColor={theme.muted}>  Ctrl+O</Text>
				</Text>
			</FieldRow>
			<Box marginLeft={labelWidth}>
				{choice.refused
					? <Paragraph color={theme.error} indent={inset + labelWidth} text={methodNote(choice)} />
					: <Paragraph dim={theme.muted} indent={inset + labelWidth} text={methodNote(choice)} />}
			</Box>
		</Box>
	);
}
