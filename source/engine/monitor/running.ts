import {lockPath} from '../backup/lock.js';
import {isOwnerAlive, readOwner} from '../platform/owner.js';

/** The target a live backup of this repository is writing (its lock held by a live process), if any. */
export function runningTarget(quickstart: string): string | undefined {
	const owner = readOwner(lockPath(quickstart));
	return owner && isOwnerAlive(owner) ? owner.target ?? '' : undefined;
}
