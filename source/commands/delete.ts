import {cancelled, usageError} from '../engine/index.js';
import {refuseUndeletable} from '../engine/index.js';
import {backupArgument, confirm, listOptions} from './catalog-shared.js';
import type {Command} from './context.js';
import {printableName} from '../words/format.js';

/** crx-backup delete BACKUP [--repo DIR] [--dir DIR]... [--yes] [--dry-run] */
export const deleteCommand: Command = async context => {
	const backup = backupArgument(context, 'delete');
	const options = await listOptions(context);
	// Resolve and refuse before asking: nobody should confirm a deletion that will not happen.
	const record = await context.engine.find(backup, options);
	refuseUndeletable(record);
	// Refused where a real delete would be (the engine's own checks), then nothing is asked and nothing deleted.
	if (context.flags.dryRun) {
		await context.engine.remove(record, options, {dryRun: true});
		context.stdout.write(`Would delete ${printableName(record.path)} (--dry-run: nothing deleted).\n`);
		return 0;
	}
	if (!context.flags.yes) {
		if (!context.stdin.isTTY) {
			throw usageError(`Refusing to delete ${record.path} without confirmation because stdin is not a terminal; pass --yes to delete without asking.`);
		}
		if (!await confirm(context, `Delete ${printableName(record.path)}? (y/N) `)) throw cancelled('Nothing deleted.');
	}
	await context.engine.remove(record, options);
	context.stdout.write(`Deleted ${printableName(record.path)}\n`);
	return 0;
};
