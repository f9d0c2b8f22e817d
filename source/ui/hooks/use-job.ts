import {useCallback, useRef, useState} from 'react';
import {CrxError} from '../../engine/index.js';
import {ProgressStore} from '../../progress/progress-store.js';
import type {EngineEvent} from '../../engine/types.js';

export type JobStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobState<Options, Result> {
	status: JobStatus;
	/** Bumped on every start, so screens can tell one run from the next. */
	run: number;
	options?: Options;
	/** Fed by the engine's events; screens sample it (useProgressStore), never the events. */
	store?: ProgressStore;
	result?: Result;
	/** The engine's one-sentence message. */
	error?: string;
}

export interface Job<Options, Result> extends JobState<Options, Result> {
	start: (options: Options) => void;
	/** Aborts the running job; the engine stops at its next check and the status becomes `cancelled`. */
	cancel: () => void;
}

type Runner<Options, Result> = (options: Options, signal: AbortSignal, onEvent: (event: EngineEvent) => void) => Promise<Result>;

/**
 * One long engine call with its AbortController and ProgressStore. State changes
 * only on start and on settle: progress reaches the screen through the store's
 * ~10 Hz snapshots, not through React state per event.
 */
export function useJob<Options, Result>(runner: Runner<Options, Result>): Job<Options, Result> {
	const [state, setState] = useState<JobState<Options, Result>>({status: 'idle', run: 0});
	/** The controller of the job in flight; undefined once it settles. */
	const active = useRef<AbortController | undefined>(undefined);
	const latestRunner = useRef(runner);
	latestRunner.current = runner;

	const start = useCallback((options: Options) => {
		if (active.current) return; // one job at a time
		const abort = new AbortController();
		const store = new ProgressStore();
		active.current = abort;
		setState(previous => ({status: 'running', run: previous.run + 1, options, store}));
		// Through a promise so a runner that throws synchronously settles the same way.
		Promise.resolve().then(() => latestRunner.current(options, abort.signal, event => store.handle(event))).then(
			result => {
				active.current = undefined;
				setState(previous => ({...previous, status: 'done', result}));
			},
			(error: unknown) => {
				active.current = undefined;
				const wasCancelled = abort.signal.aborted || (error instanceof CrxError && error.kind === 'cancelled');
				setState(previous => ({...previous, status: wasCancelled ? 'cancelled' : 'failed', error: (error as Error)?.message ?? String(error)}));
			},
		);
	}, []);
	const cancel = useCallback(() => active.current?.abort(), []);
	return {...state, start, cancel};
}
