import {runBackup} from './backup.js';
import {find, list} from './catalog.js';
import {estimate, preflight} from './estimate.js';
import {remove} from './remove.js';
import {resolveRepository, resolveTarget} from './repository.js';
import {restore} from './restore.js';
import {planRestore} from './restore-plan.js';
import {checkRestoreDestination} from './restore-destination.js';
import type {Engine} from './types.js';
import {verify} from './verify.js';

/** The one engine both front ends drive. */
export const engine: Engine = {
	resolveRepository,
	resolveTarget,
	estimate,
	preflight,
	backup: runBackup,
	list,
	find,
	remove,
	verify,
	planRestore,
	checkDestination: checkRestoreDestination,
	restore,
};

export type * from './types.js';
