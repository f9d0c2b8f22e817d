import {Text} from 'ink';
import {bytes} from '../../words/format.js';
import {describeStorage} from '../../words/storage-text.js';
import type {Estimate} from '../../engine/types.js';
import {symbols, useTheme} from '../theme.js';
import {FieldRow} from './field-row.js';

/**
 * Home's storage rows: where nodes and binaries live, an external
 * datastore's path and size, and a warning for storage no backup captures.
 * Nothing until the estimate is in: the Size row above already says "measuring".
 */
export function StorageLayout({estimate}: {estimate?: Estimate}) {
	const theme = useTheme();
	const layout = estimate?.storage;
	if (!layout) return null;
	const {binaries} = describeStorage(layout);
	const external = estimate.externalDatastore;
	return (
		<>
			<FieldRow label="Storage">{layout.nodeStore === 'document' ? 'MongoDB (DocumentNodeStore)' : 'segment store (TarMK)'}</FieldRow>
			<FieldRow label="Binaries">{external ? `external datastore ${external.path}, ${bytes(external.bytes)}` : binaries}</FieldRow>
			{layout.remote ? <Text color={theme.warning} wrap="truncate-end">{symbols.warning} {layout.remote}: not captured by a backup (needs --files-only).</Text> : null}
			{layout.datastore?.external && !external ? <Text color={theme.warning} wrap="truncate-end">{symbols.warning} The external datastore {layout.datastore.path} cannot be reached.</Text> : null}
		</>
	);
}
