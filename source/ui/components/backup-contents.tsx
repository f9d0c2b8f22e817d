import {Box, Text} from 'ink';
import type {Estimate} from '../../engine/types.js';
import {bytes} from '../../words/format.js';
import {FieldRow} from './field-row.js';
import {TruncatedPath} from './truncated-path.js';

/**
 * The Create form's one line saying what the backup will hold: the
 * repository alone, or crx-quickstart plus the external datastore it copies
 * beside it, each with its size, so an operator sees before Enter that the
 * binaries on their own mount are in it. The path comes last and loses its
 * middle when the line is too narrow: the sizes always show.
 */
export function BackupContents({estimate, labelWidth}: {estimate: Estimate; labelWidth?: number}) {
	const external = estimate.externalDatastore;
	if (!external) {
		return <FieldRow width={labelWidth} label="Repository">{`${bytes(estimate.repositoryBytes)} in ${estimate.repositoryFiles.toLocaleString('en-US')} files`}</FieldRow>;
	}
	// The estimate's totals include the external datastore: crx-quickstart is the rest.
	const quickstart = bytes(Math.max(0, estimate.repositoryBytes - external.bytes));
	return (
		<FieldRow width={labelWidth} label="Holds">
			<Box>
				<Box flexShrink={0}><Text>{`crx-quickstart ${quickstart} + datastore ${bytes(external.bytes)} from `}</Text></Box>
				<Box flexShrink={1}><TruncatedPath path={external.path} /></Box>
			</Box>
		</FieldRow>
	);
}
