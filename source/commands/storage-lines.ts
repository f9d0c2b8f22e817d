import {bytes} from '../words/format.js';
import type {Estimate} from '../engine/types.js';
import {describeStorage} from '../words/storage-text.js';

/** estimate's text lines for the storage layout. */
export function storageLines(estimate: Estimate): string[] {
	if (!estimate.storage) return [];
	const {nodes, binaries} = describeStorage(estimate.storage);
	const lines = [`Nodes       ${nodes}`, `Binaries    ${binaries}`];
	const external = estimate.externalDatastore;
	if (external) lines.push(`Datastore   ${external.path}: ${bytes(external.bytes)} in ${external.files} files, backed up as external-datastore/ (counted above)`);
	return lines;
}
