import {escapeControls} from '../words/format.js';
import {maskResticRepo, resticSnapshots, usageError} from '../engine/index.js';
import {listOptions} from './catalog-shared.js';
import type {Command} from './context.js';
import {formatSnapshots, formatTable} from './list-table.js';

/** crx-backup list [--repo DIR] [--dir DIR]... [--json] */
export const listCommand: Command = async context => {
	const options = await listOptions(context);
	if (!options.repository && (options.dirs ?? []).length === 0) {
		throw usageError('list needs somewhere to look: run it in an AEM install folder, or pass --repo DIR or --dir DIR.');
	}
	// A folder this user may not read is skipped with a line on stderr; stdout stays the listing (or the JSON).
	const records = await context.engine.list({...options, onWarning: message => context.stderr.write(`⚠ ${escapeControls(message)}\n`)});
	const {resticRepo} = context.flags;
	const snapshots = resticRepo === undefined ? undefined : await resticSnapshots(resticRepo, context.signal);
	if (context.flags.json) {
		// With --restic-repo one object holds both lists; without, the array of local backups as always.
		context.stdout.write(JSON.stringify(snapshots ? {backups: records, resticSnapshots: snapshots} : records, null, 2) + '\n');
		return 0;
	}
	if (snapshots) context.stdout.write(formatSnapshots(maskResticRepo(resticRepo!), snapshots));
	const where = [...(options.repository ? [options.repository.backupDir] : []), ...(options.dirs ?? [])].join(', ');
	if (records.length === 0) {
		context.stdout.write(`No backups in ${where}.\n`);
		return 0;
	}
	context.stdout.write(formatTable(records, context.stdout.columns || 80));
	return 0;
};
