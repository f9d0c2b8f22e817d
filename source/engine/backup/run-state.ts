import type {BackupEvent, BackupOptions} from '../types.js';
import type {HelperThread} from '../walk/helper-thread.js';
import type {Freezer} from './freezer.js';
import type {PreviousLinker} from './link-file.js';
import type {CopySource, MethodPlan} from './methods/method.js';
import type {WorkArea} from './targets.js';
import type {TreePlan} from './trees.js';
import type {WrittenInodes} from './written-inodes.js';

/**
 * One backup run's state, from the lock to the end: what prepare opens, copy and
 * finish use, and abandon closes again whatever step failed. Every field that is
 * set late is optional, so abandon knows how far the run got.
 */
export interface RunState {
	options: BackupOptions;
	emit: (event: BackupEvent) => void;
	exclude: string[];
	trees: TreePlan;
	freezer: Freezer;
	freezerWarnings: string[];
	plan: MethodPlan;
	warnings: Set<string>;
	startedAt: Date;
	helper: HelperThread;
	/** Stops the previous target's walk on the helper thread (it writes into the state folder). */
	stopSnapshot: AbortController;
	area?: WorkArea;
	stateDir?: string;
	/** From stage 1 on, the target holds copies: a refusal can no longer put it back. */
	copying: boolean;
	snapshot?: Promise<unknown>;
	method?: CopySource;
	link?: PreviousLinker;
	written?: WrittenInodes;
}

/** A warning once: the event, and the summary's list. */
export function warn(run: Pick<RunState, 'warnings' | 'emit'>, message: string): void {
	if (run.warnings.has(message)) return;
	run.warnings.add(message);
	run.emit({type: 'warning', message});
}
