import type {BackupTarget, Engine, Preflight, Repository} from '../../engine/types.js';
import {useAsyncValue, type AsyncValue} from './use-async-value.js';

/**
 * The live preflight under the Create Backup form: re-run 150 ms after the
 * operator stops typing, and only for inputs that parse (target and delay).
 */
export function usePreflight(engine: Engine, repository: Repository, target: BackupTarget | undefined, delayMs: number | undefined, exclude?: string[]): AsyncValue<Preflight> {
	// No exclude list yet (an option is refused): no preflight, as for a bad target or delay.
	const key = target && delayMs !== undefined && exclude ? `${target.kind}:${target.path}:${delayMs}:${exclude.join('\0')}` : undefined;
	return useAsyncValue(key, () => engine.preflight(repository, target!, delayMs!, ...(exclude!.length > 0 ? [exclude!] : [])), 150);
}
