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
import {checkMethod} from './backup/methods/method.js';

/** The one engine both front ends drive. */
export const engine: Engine = {
	resolveRepository,
	resolveTarget,
	estimate,
	preflight,
	backup: runBackup,
	checkMethod,
	list,
	find,
	remove,
	verify,
	planRestore,
	checkDestination: checkRestoreDestination,
	restore,
};

export type * from './types.js';
// What the front ends need besides the engine object: errors to tell apart, the
// option rules they check as the operator types, and names they show.
export {cancelled, CrxError, usageError} from './errors.js';
export {checkBackupOptions, defaultFreezeTimeoutMs, parseDelay, parseFreezeTimeout, type CheckedBackupOptions, type RawBackupOptions} from './option-rules.js';
export {defaultStopTimeoutMs, methods, parseMethod} from './option-rules.js';
export {refuseUndeletable} from './catalog/delete.js';
export {defaultTargetName} from './backup/repository.js';
