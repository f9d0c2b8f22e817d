import {parseRetention, pruneFailure, usageError} from '../engine/index.js';
import {listOptions} from './catalog-shared.js';
import type {Command} from './context.js';
import {formatPrune} from './prune-printer.js';

/** crx-backup prune --keep-last N --keep-hourly N --keep-daily N --keep-weekly N --keep-monthly N [--repo DIR] [--dir DIR]... [--dry-run] [--json] */
export const pruneCommand: Command = async context => {
	if (context.input.length > 0) throw usageError(`prune takes no arguments (got "${context.input[0]}"); the --keep-* rules say what stays.`);
	const policy = parseRetention(context.flags);
	const options = await listOptions(context);
	if (!options.repository && (options.dirs ?? []).length === 0) {
		throw usageError('prune needs somewhere to look: run it in an AEM install folder, or pass --repo DIR or --dir DIR.');
	}
	const result = await context.engine.prune({
		...options, policy, dryRun: context.flags.dryRun, signal: context.signal,
		onWarning: message => context.stderr.write(`⚠ ${message}\n`),
	});
	context.stdout.write(context.flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatPrune(result));
	const failed = pruneFailure(result);
	if (failed) throw failed;
	return 0;
};
