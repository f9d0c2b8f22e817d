import {Box, Text} from 'ink';
import type {BackupRecord} from '../../engine/types.js';
import {FieldRow} from '../components/field-row.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {bytes, dateTime, duration} from '../../format.js';
import {useTheme} from '../theme.js';

/** The details pane under the table, from the backup's manifest header. */
export function BackupDetails({record}: {record: BackupRecord}) {
	const theme = useTheme();
	const manifest = record.manifest;
	return (
		<Box flexDirection="column" marginTop={1}>
			<FieldRow label="Path" width={10}><TruncatedPath path={record.path} /></FieldRow>
			{record.install ? (
				<Text dimColor={theme.muted}>{record.install.restored ? `An install crx-backup restored${record.install.from ? ` from ${record.install.from}` : ''}` : 'No manifest and no marker: an install, or a backup AEM made'}; not a backup, so delete leaves it alone.</Text>
			) : manifest ? (
				<>
					<FieldRow label="Started" width={10}>{`${dateTime(manifest.startedAt)} · took ${duration(manifest.durationMs)} · delay ${manifest.delayMs} ms`}</FieldRow>
					<FieldRow label="Contents" width={10}>{`${manifest.files.toLocaleString('en-US')} files · ${bytes(manifest.bytes)}`}</FieldRow>
					<FieldRow label="Writes" width={10}>{manifest.writesBlocked ? `blocked for ${duration(manifest.writesBlockedMs)} in stage 4` : 'not blocked (no freeze command)'}</FieldRow>
					<FieldRow label="Stages" width={10}>{manifest.stages.map(stage => `${stage.stage}: ${stage.files} files ${duration(stage.durationMs)}`).join(' · ')}</FieldRow>
				</>
			) : <Text dimColor={theme.muted}>No manifest: {record.status === 'complete' ? 'made by another tool' : 'the backup did not finish'}.</Text>}
		</Box>
	);
}
