import {failure} from '../platform/errors.js';
import {defaultFreezeTimeoutMs} from '../option-rules.js';
import type {BackupEvent, BackupOptions} from '../types.js';
import {runHook} from './run-hook.js';

/**
 * What blocks and unblocks repository writes around the moment a backup must
 * be consistent (online: stage 4; snapshot: the snapshot itself). Every method
 * goes through one: a freeze that ran is always followed by a thaw, and a thaw
 * that fails is remembered (the backup then fails with that sentence).
 */
export interface Freezer {
	/** Whether writes are really blocked (false: no freeze configured, the freeze and thaw do nothing). */
	readonly blocks: boolean;
	/** Blocks writes; throws a failure with one sentence when it cannot. */
	freeze(): Promise<void>;
	/** Unblocks them if freeze ran; never throws. */
	thaw(): Promise<void>;
	/** The thaw's failure, one sentence, once a thaw failed. */
	readonly thawFailed: string | undefined;
	/**
	 * Once freeze returned: why the block is not confirmed (one sentence holding
	 * "writes blocking not confirmed"), when what blocks writes did not say it did.
	 * Undefined: confirmed, or no freeze. A freeze command's exit 0 is its confirmation.
	 */
	readonly unconfirmed?: string;
}

/** The freezer of --freeze-cmd / --thaw-cmd (sh -c, bounded by the freeze timeout). */
export function commandFreezer(options: Pick<BackupOptions, 'freezeCmd' | 'thawCmd' | 'freezeTimeoutMs'>, env: {repo: string; target: string}, emit: (event: BackupEvent) => void): Freezer {
	const timeoutMs = options.freezeTimeoutMs ?? defaultFreezeTimeoutMs;
	let frozen = false;
	let thawFailed: string | undefined;
	return {
		blocks: Boolean(options.freezeCmd),
		get thawFailed() {
			return thawFailed;
		},
		async freeze() {
			if (!options.freezeCmd) return;
			frozen = true; // It ran, whatever it returns: the thaw command will run.
			emit({type: 'freeze', command: options.freezeCmd});
			const hook = await runHook(options.freezeCmd, env, timeoutMs, 'freeze');
			if (!hook.ok) throw failure(`${hook.reason} The backup was aborted.`);
		},
		async thaw() {
			if (!frozen) return;
			frozen = false;
			const result = await runHook(options.thawCmd ?? 'true', env, timeoutMs, 'thaw');
			emit({type: 'thaw', command: options.thawCmd ?? '', ok: result.ok});
			if (!result.ok) thawFailed = `${result.reason} Repository writes may still be blocked: unblock them by hand.`;
		},
	};
}
