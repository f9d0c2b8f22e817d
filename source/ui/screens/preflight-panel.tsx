import {Box, Text} from 'ink';
import {tuiWords} from '../options/tui-words.js';
import {BackupContents} from '../components/backup-contents.js';
import {FieldRow} from '../components/field-row.js';
import type {Preflight} from '../../engine/types.js';
import {bytes, delayFormula} from '../../words/format.js';
import {symbols, useTheme} from '../theme.js';

const kindText = {
	zip: 'zip: staged in a folder, then compressed',
	directory: 'directory: copied as is (re-synced if it exists)',
};

/** What the engine's preflight says about the form's inputs: nothing here is computed by the UI. */
export function PreflightPanel({preflight, labelWidth}: {preflight: Preflight; labelWidth?: number}) {
	const theme = useTheme();
	const {estimate} = preflight;
	const enough = preflight.bytesFree >= preflight.bytesNeeded;
	return (
		<Box flexDirection="column">
			<FieldRow width={labelWidth} label="Kind">{kindText[preflight.target.kind]}</FieldRow>
			<BackupContents estimate={estimate} labelWidth={labelWidth} />
			<FieldRow width={labelWidth} label="Delay">{delayFormula(estimate)}</FieldRow>
			<FieldRow width={labelWidth} label="Disk space">
				<Text wrap="truncate-end">
					<Text color={enough ? theme.success : theme.error}>{enough ? symbols.done : symbols.failed}</Text>
					{` needs ${bytes(preflight.bytesNeeded)}, ${bytes(preflight.bytesFree)} free`}
				</Text>
			</FieldRow>
			{preflight.warnings.map(warning => <Text key={warning} color={theme.warning}>{symbols.warning} {tuiWords(warning)}</Text>)}
			{preflight.errors.map(error => <Text key={error} color={theme.error}>{symbols.failed} {tuiWords(error)}</Text>)}
		</Box>
	);
}
