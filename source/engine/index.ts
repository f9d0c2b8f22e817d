import {runBackup} from './backup/run.js';
import {find, list} from './catalog/list.js';
import {estimate, preflight} from './backup/estimate.js';
import {remove} from './catalog/delete.js';
import {resolveRepository, resolveTarget} from './backup/repository.js';
import {restore} from './restore/run.js';
import {planRestore} from './restore/plan.js';
import {checkRestoreDestination} from './restore/destination.js';
import type {Engine} from './types.js';
import {verify} from './verify/run.js';
import {prune} from './retention/prune.js';
import {status} from './monitor/status.js';
import {recordingRuns} from './monitor/record-run.js';
import {checkMethod} from './backup/methods/method.js';
import {afterBackup} from './monitor/after-backup.js';
import {drill} from './drill/run.js';
import {drillHealth} from './drill/health.js';

/** The one engine both front ends drive. */
export const engine: Engine = {
	resolveRepository,
	resolveTarget,
	estimate,
	preflight,
	backup: recordingRuns(runBackup),
	checkMethod,
	list,
	find,
	remove,
	verify,
	planRestore,
	checkDestination: checkRestoreDestination,
	restore,
	prune,
	status,
	afterBackup,
	drill,
	drillHealth,
};

export type * from './types.js';
// What the front ends need besides the engine object: errors to tell apart, the
// option rules they check as the operator types, and names they show.
export {cancelled, CrxError, failure, usageError} from './platform/errors.js';
export {defaultFreezeTimeoutMs, maxDelayMs, parseDelay, parseFreezeTimeout} from './option-rules.js';
export * from './options/index.js';
export {probeAem, type AemReachability} from './aem/reachable.js';
export {checkAem, type AemCheck} from './aem/check.js';
export {maintenanceWarning} from './backup/maintenance-window.js';
export {defaultStopTimeoutMs, methods, parseMethod} from './option-rules.js';
export {refuseUndeletable} from './catalog/delete.js';
export {adopt} from './catalog/adopt.js';
export {defaultTargetName} from './backup/repository.js';
export {parseHookTimeout, parseMaxAge, parseRetention, type RawRetention} from './option-rules.js';
export {chooseIsolation as checkDrillIsolation} from './drill/isolation.js';
export {defaultDrillStartTimeoutMs, parseDrillPort, parseMaxDrillAge, parseStartTimeout} from './option-rules.js';
export {applyPolicy, isEmptyPolicy} from './retention/policy.js';
export {decide as decidePrune, pruneFailure} from './retention/prune.js';
export {runOutcomeHook} from './monitor/hooks.js';
export {recordFailure} from './monitor/record-run.js';
export {plansAnything} from './monitor/after-backup.js';
export {afterFailedBackup, backupThenNightly, exitCodeOf, type NightlyBackupOutcome, type NightlyBackupRequest} from './monitor/backup-then-nightly.js';
export {clockNow} from './platform/clock.js';
// restic: push, snapshots, restore from a snapshot and its keep policy (beside the Engine object: only the headless commands use them so far).
export {pushBackup, type PushOptions} from './restic/push.js';
export {forgetResticSnapshots, resticSnapshots, type ResticKeep} from './restic/snapshots.js';
export {parseResticRef, restoreFromRestic} from './restic/fetch.js';
export {checkResticRepo} from './restic/restic-process.js';
export {maskResticRepo, resticRepoFromEnvironment} from './restic/repository.js';
