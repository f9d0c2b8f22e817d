import type {StorageLayout} from '../engine/types.js';

/** The storage layout in words, one phrase per part: what `estimate` prints and the TUI's Home shows. */
export function describeStorage(layout: StorageLayout): {nodes: string; binaries: string} {
	const nodes = layout.nodeStore === 'document' ? `MongoDB (${layout.remote ?? 'DocumentNodeStore'})` : 'segment store (TarMK) in crx-quickstart';
	const binaries = layout.binaries === 'segment' ? 'in the segment store'
		: layout.binaries === 'file' ? `FileDataStore ${layout.datastore!.path} (${layout.datastore!.external ? 'outside' : 'inside'} crx-quickstart)`
			: layout.binaries === 's3' ? 'Amazon S3 (S3DataStore)' : 'Azure Blob Storage (AzureDataStore)';
	return {nodes, binaries};
}
