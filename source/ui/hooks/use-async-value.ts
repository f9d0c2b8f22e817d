import {useCallback, useEffect, useRef, useState} from 'react';

export interface AsyncValue<T> {
	value?: T;
	/** The key `value` (or `error`) belongs to: compare it with the current inputs before trusting it. */
	key?: string;
	error?: string;
	loading: boolean;
	/** A load for the current key is due or running (true even before the effect that starts it has run). */
	settling: boolean;
	reload: () => void;
}

/**
 * Loads `load()` whenever `key` changes (nothing while it is undefined), after
 * `debounceMs` of quiet, and drops results that arrive for an older key. One hook
 * serves the Home size, the backup list, the live preflight and the restore
 * destination check.
 */
export function useAsyncValue<T>(key: string | undefined, load: () => Promise<T>, debounceMs = 0): AsyncValue<T> {
	const [state, setState] = useState<Omit<AsyncValue<T>, 'reload' | 'settling'>>({loading: key !== undefined});
	const [generation, setGeneration] = useState(0);
	const latestLoad = useRef(load);
	latestLoad.current = load;
	const sequence = useRef(0);

	useEffect(() => {
		const run = ++sequence.current;
		if (key === undefined) {
			setState({loading: false});
			return;
		}
		setState(previous => (previous.loading ? previous : {...previous, loading: true}));
		// The load of the render that committed this key, taken now: when the timer fires, the ref may already hold
		// a newer render's load whose inputs do not parse (its effect, clearing this timer, not run yet). Calling
		// that one crashed the TUI: Ctrl+U on the Create form's Delay read `exclude!.length` of undefined.
		const loadForKey = latestLoad.current;
		const timer = setTimeout(() => {
			loadForKey().then(
				value => run === sequence.current && setState({value, key, loading: false}),
				(error: unknown) => run === sequence.current && setState({key, error: (error as Error)?.message ?? String(error), loading: false}),
			);
		}, debounceMs);
		return () => clearTimeout(timer);
	}, [key, generation, debounceMs]);

	const reload = useCallback(() => setGeneration(n => n + 1), []);
	return {...state, settling: key !== undefined && (state.loading || state.key !== key), reload};
}
