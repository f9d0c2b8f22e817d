import path from 'node:path';
import {CrxError, failure} from '../platform/errors.js';
import {isEmptyPolicy} from '../retention/policy.js';
import {prune, pruneFailure} from '../retention/prune.js';
import {pushBackup} from '../restic/push.js';
import type {AfterBackupPlan, AfterBackupRequest, AfterBackupResult} from '../types.js';
import {runOutcomeHook} from './hooks.js';
import {drill} from '../drill/run.js';

/** Whether a plan has anything to do after a backup. */
export const plansAnything = (plan: AfterBackupPlan | undefined): plan is AfterBackupPlan =>
	plan !== undefined && (!isEmptyPolicy(plan.policy) || plan.push !== undefined || plan.onSuccess !== undefined || plan.onFailure !== undefined || plan.drill !== undefined);

/**
 * After a good backup: prune (when asked), then push (when asked), then the
 * --on-success hook, so that a success ping also means "pushed". After a failed,
 * refused or cancelled one: only the --on-failure hook. The CLI and the TUI both
 * run their backups' nightly steps through this one function.
 */
export async function afterBackup(request: AfterBackupRequest): Promise<AfterBackupResult> {
	const {plan, repository, target, exitCode} = request;
	const result: AfterBackupResult = {};
	let pushFailed = false;
	if (exitCode === 0) {
		if (!isEmptyPolicy(plan.policy)) {
			try {
				// The folder the backup went to is pruned too, wherever the target put it.
				// The backup just made is never pruned, whatever the rules or the dates of anything beside it say.
				result.prune = await prune({repository, dirs: [...(request.dirs ?? []), path.dirname(target)], policy: plan.policy, signal: request.signal, onWarning: request.onWarning, justMade: target});
				result.failure = pruneFailure(result.prune);
			} catch (error) {
				result.failure = asCrxError(error);
			}
		}
		if (plan.push !== undefined) {
			try {
				result.pushed = await (request.push ?? ((backup, resticRepo) => pushBackup({backup, resticRepo, list: {repository}, signal: request.signal})))(target, plan.push);
			} catch (error) {
				pushFailed = true;
				// The push failure is the one the run reports: the backup is good, but not off the box.
				result.failure = failure(`The backup ${target} is complete, but pushing it to restic failed: ${(error as Error).message}`);
			}
		}
	}
	let drillFailed = false;
	if (exitCode === 0 && plan.drill && !result.failure) {
		// The backup just made, drilled: a night is only good when the backup also comes up as AEM.
		try {
			result.drill = await drill({repository, backup: target, dirs: request.dirs, ...plan.drill, signal: request.signal, onEvent: request.onDrillEvent});
			if (!result.drill.ok) result.failure = failure(`The backup ${target} is complete, but its restore drill failed: ${result.drill.sentence}`);
		} catch (error) {
			result.failure = failure(`The backup ${target} is complete, but its restore drill failed: ${(error as Error).message}`);
		}
		drillFailed = result.failure !== undefined;
	}
	result.hookWarning = await runOutcomeHook({
		onSuccess: plan.onSuccess, onFailure: plan.onFailure, timeoutMs: plan.hookTimeoutMs,
		repository: repository.quickstart, target, exitCode: exitCode === 0 && (pushFailed || drillFailed) ? 1 : exitCode,
		...(drillFailed ? {status: 'drill-failed' as const} : {}),
	});
	return result;
}

const asCrxError = (error: unknown): CrxError => (error instanceof CrxError ? error : failure((error as Error)?.message ?? String(error)));
