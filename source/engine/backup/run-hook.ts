import {hookEnv} from '../platform/child-env.js';
import {runCommand} from './methods/run-command.js';

export interface HookResult {
	ok: boolean;
	/** One sentence on failure. */
	reason?: string;
}

/**
 * Runs a freeze, thaw or outcome hook through `sh -c` with CRX_BACKUP_REPO and
 * CRX_BACKUP_TARGET in its environment (no secrets: child-env.ts); runCommand bounds it (a hung `curl`
 * under a shell is killed with its whole process group after `timeoutMs`).
 */
export async function runHook(command: string, env: {repo: string; target: string; extra?: Record<string, string>}, timeoutMs: number, what: 'freeze' | 'thaw' | '--on-success' | '--on-failure'): Promise<HookResult> {
	const {ok, reason} = await runCommand(command, undefined, {
		env: hookEnv({CRX_BACKUP_REPO: env.repo, CRX_BACKUP_TARGET: env.target, ...env.extra}), timeoutMs, what: `${what} command`,
	});
	return ok ? {ok} : {ok, reason};
}
