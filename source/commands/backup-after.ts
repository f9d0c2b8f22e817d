import path from 'node:path';
import {CrxError, isEmptyPolicy, parseHookTimeout, parseRetention, pruneFailure, runOutcomeHook} from '../engine/index.js';
import type {BackupSummary, PruneResult, Repository} from '../engine/types.js';
import type {CommandContext} from './context.js';
import {formatPrune} from './prune-printer.js';

/**
 * What `backup` does around the engine's run in a nightly job: --keep-* prunes
 * after a successful backup only, then --on-success or --on-failure runs. Every
 * flag is checked before the backup starts (bad input: nothing written).
 */
export function afterBackup(context: CommandContext, repository: Repository, target: string) {
	const {flags, engine, stderr, signal} = context;
	const policy = parseRetention(flags);
	const timeoutMs = parseHookTimeout(flags.hookTimeout);
	const hook = async (exitCode: number) => {
		const warning = await runOutcomeHook({onSuccess: flags.onSuccess, onFailure: flags.onFailure, timeoutMs, repository: repository.quickstart, target, exitCode});
		if (warning) stderr.write(`⚠ ${warning}\n`);
	};
	return {
		/** The backup failed, was refused or cancelled: the failure hook runs, the error stands. */
		async failed(error: unknown): Promise<never> {
			await hook(error instanceof CrxError ? error.exitCode : 1);
			throw error;
		},
		/**
		 * The backup succeeded: prune (when asked), then the push (--push), then the hook, so that a success ping
		 * also means "pushed". A prune that could not delete everything or a failed push is exit 1 (finish throws),
		 * and then the failure hook runs; the backup itself stays good.
		 */
		async succeeded<Pushed>(_summary: BackupSummary, push?: () => Promise<Pushed>): Promise<{prune?: PruneResult; pushed?: Pushed; finish: () => void}> {
			let prune: PruneResult | undefined;
			let pushed: Pushed | undefined;
			let error: unknown;
			if (!isEmptyPolicy(policy)) {
				try {
					// The folder the backup went to is pruned too, wherever --target put it.
					prune = await engine.prune({repository, dirs: [...flags.dir, path.dirname(target)], policy, signal, onWarning: message => stderr.write(`⚠ ${message}\n`)});
				} catch (caught) {
					error = caught;
				}
			}
			let pushError: unknown;
			if (push) {
				try {
					pushed = await push();
				} catch (caught) {
					pushError = caught;
				}
			}
			await hook(pushError ? 1 : 0);
			return {
				prune,
				pushed,
				finish: () => {
					if (pushError) throw pushError;
					if (error) throw error;
					const failed = prune && pruneFailure(prune);
					if (failed) throw failed;
				},
			};
		},
		formatPrune,
	};
}
