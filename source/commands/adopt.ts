import {adopt} from '../engine/index.js';
import {printableName} from '../words/format.js';
import {backupArgument, listOptions} from './catalog-shared.js';
import type {Command} from './context.js';

/** crx-backup adopt BACKUP [--repo DIR] [--dir DIR]...: prune and delete may manage it from now on. */
export const adoptCommand: Command = async context => {
	const backup = backupArgument(context, 'adopt');
	const record = await adopt(backup, {...await listOptions(context), signal: context.signal});
	context.stdout.write(`Adopted ${printableName(record.path)}: prune and delete may now remove it.\n`);
	return 0;
};
