import {escapeControls} from '../words/format.js';
import {checkResticRepo, forgetResticSnapshots, maskResticRepo, parseRetention, pruneFailure, usageError} from '../engine/index.js';
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
	const resticRepo = context.flags.resticRepo;
	if (resticRepo !== undefined) {
		checkResticRepo(resticRepo, '--restic-repo');
		if (!options.repository) throw usageError('prune --restic-repo needs the repository its snapshots were tagged with: run it in the AEM install folder or pass --repo DIR.');
	}
	const result = await context.engine.prune({
		...options, policy, dryRun: context.flags.dryRun, signal: context.signal,
		onWarning: message => context.stderr.write(`⚠ ${escapeControls(message)}\n`),
	});
	// The same policy for the off-box copies: restic forget (--prune) on this repository's snapshots only.
	const restic = resticRepo === undefined || !options.repository ? undefined
		: resticCounts(await forgetResticSnapshots(resticRepo, options.repository.quickstart, policy, {dryRun: context.flags.dryRun, signal: context.signal}));
	context.stdout.write(context.flags.json ? `${JSON.stringify(restic ? {...result, restic} : result, null, 2)}\n` : formatPrune(result));
	if (restic && !context.flags.json) {
		context.stdout.write(`restic ${maskResticRepo(resticRepo ?? "")}: kept ${restic.kept}, ${context.flags.dryRun ? 'would forget' : 'forgot'} ${restic.removed} snapshot${restic.removed === 1 ? '' : 's'}${context.flags.dryRun ? '' : ', and pruned the data no snapshot keeps'}.\n`);
	}
	const failed = pruneFailure(result);
	if (failed) throw failed;
	return 0;
};

/** restic forget --json's groups, counted: snapshots kept and removed. */
function resticCounts(report: unknown): {kept: number; removed: number; groups: unknown} {
	const groups = Array.isArray(report) ? report as Array<{keep?: unknown[]; remove?: unknown[] | null}> : [];
	return {
		kept: groups.reduce((n, group) => n + (group.keep?.length ?? 0), 0),
		removed: groups.reduce((n, group) => n + (group.remove?.length ?? 0), 0),
		groups: report,
	};
}
