import {escapeControls} from '../format.js';
import {checkAfterBackup, CrxError} from '../engine/index.js';
import type {AfterBackupResult, PushSummary, Repository} from '../engine/types.js';
import type {CommandContext} from './context.js';
import {formatPrune} from './prune-printer.js';

/**
 * What `backup` does around the engine's run in a nightly job, through the
 * engine's afterBackup (the TUI runs the same): --keep-* prunes after a
 * successful backup only, then --push, then --on-success or --on-failure runs.
 * Every flag was checked with the backup's options, before anything was written.
 */
export function afterBackup(context: CommandContext, repository: Repository, target: string) {
	const {flags, engine, stderr, signal} = context;
	const plan = checkAfterBackup(flags);
	const onWarning = (message: string) => stderr.write(`⚠ ${escapeControls(message)}\n`);
	const run = (exitCode: number, push?: (backup: string, resticRepo: string) => Promise<PushSummary>, made = target) =>
		engine.afterBackup({plan, repository, target: made, exitCode, dirs: flags.dir, signal, onWarning, ...(push ? {push} : {})});
	const warnHook = (result: AfterBackupResult) => result.hookWarning && onWarning(result.hookWarning);
	return {
		/** The backup failed, was refused or cancelled: the failure hook runs, the error stands. */
		async failed(error: unknown): Promise<never> {
			warnHook(await run(error instanceof CrxError ? error.exitCode : 1));
			throw error;
		},
		/**
		 * The backup succeeded: prune (when asked), then the push (--push, with `push` printing restic's
		 * progress), then the hook, for `made` (the summary's target: a zip whose name another run took went
		 * elsewhere). A prune that could not delete everything or a failed push is exit 1
		 * (finish throws), and then the failure hook ran; the backup itself stays good.
		 */
		async succeeded(push?: (backup: string, resticRepo: string) => Promise<PushSummary>, made = target): Promise<AfterBackupResult & {finish: () => void}> {
			const result = await run(0, push, made);
			warnHook(result);
			return {...result, finish: () => {
				if (result.failure) throw result.failure;
			}};
		},
		formatPrune,
	};
}
