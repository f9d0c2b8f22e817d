import {blockedWhere} from '../../words/method-line.js';
import {Box, Text} from 'ink';
import type {BackupRecord, ManifestHeader} from '../../engine/types.js';
import {FieldRow} from '../components/field-row.js';
import {TruncatedPath} from '../components/truncated-path.js';
import {bytes, dateTime, duration} from '../../words/format.js';
import {useTheme} from '../theme.js';

/** Why a backup has no manifest, as it is now: still being written, never finished, damaged, or made by another tool. */
function noManifest(record: BackupRecord): string {
	if (record.status === 'running') return 'Still running: the manifest is written when the backup finishes.';
	if (record.status === 'complete') return 'No manifest: made by another tool.';
	if (record.kind === 'zip' && !record.leftover) return 'The zip cannot be read: it was damaged after it was written (crx-backup renames a zip into place only when whole).';
	return 'No manifest: the backup did not finish.';
}

/** Counts read the same everywhere on a screen: 1,072, never 1072 beside it. */
const count = (n: number) => n.toLocaleString('en-US');

/** How stage 4 blocked writes, from the manifest (absent in older ones: then nothing is said). */
function freezeText(freeze: ManifestHeader['freeze']): string {
	if (!freeze) return '';
	return 'aem' in freeze ? ` · AEM ${freeze.aem}` : ` · freeze: ${freeze.command}`;
}

/** From start to the end of zipping: the manifest's time ends before it (zipWrittenAt says when the zip was done). */
export function took(record: BackupRecord): string {
	const manifest = record.manifest!;
	const start = Date.parse(manifest.startedAt);
	const end = record.zipWrittenAt ? Date.parse(record.zipWrittenAt) : Number.NaN;
	// A zip copied elsewhere has a later or earlier mtime: only a time at or after the manifest's end, within a day of it, counts.
	if (end >= Date.parse(manifest.finishedAt) && end - Date.parse(manifest.finishedAt) < 86_400_000) return `${duration(end - start)} with zipping`;
	return manifest.kind === 'zip' ? `${duration(manifest.durationMs)} before zipping` : duration(manifest.durationMs);
}

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
					<FieldRow label="Started" width={10}>{`${dateTime(manifest.startedAt)} · took ${took(record)} · delay ${manifest.delayMs} ms`}</FieldRow>
					<FieldRow label="Contents" width={10}>{`${count(manifest.files)} files · ${bytes(manifest.bytes)}`}</FieldRow>
					<FieldRow label="Writes" width={10}>{`${manifest.writesBlocked ? `blocked for ${duration(manifest.writesBlockedMs)} ${blockedWhere({method: manifest.method ?? 'online'})}` : manifest.writesBlockingNotConfirmed ? 'blocking not confirmed by AEM' : 'not blocked'}${freezeText(manifest.freeze)}`}</FieldRow>
					<FieldRow label="Stages" width={10}>{manifest.stages.map(stage => `${stage.stage}: ${count(stage.files)} files ${duration(stage.durationMs)}`).join(' · ')}</FieldRow>
					<FieldRow label="Excludes" width={10}>{manifest.exclude.length > 0 ? manifest.exclude.join(', ') : 'none'}</FieldRow>
				</>
			) : <Text dimColor={theme.muted}>{noManifest(record)}</Text>}
		</Box>
	);
}
