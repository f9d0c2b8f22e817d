import type {BackupTarget, Engine, Preflight, Repository} from '../../engine/types.js';
import {useAsyncValue, type AsyncValue} from './use-async-value.js';

/**
 * The live preflight under the Create Backup form: re-run 150 ms after the
 * operator stops typing, and only for inputs that parse (target and delay).
 */
export function usePreflight(engine: Engine, repository: Repository, target: BackupTarget | undefined, delayMs: number | undefined): AsyncValue<Preflight> {
	const key = target && delayMs !== undefined ? `${target.kind}:${target.path}:${delayMs}` : undefined;
	return useAsyncValue(key, () => engine.preflight(repository, target!, delayMs!), 150);
}
