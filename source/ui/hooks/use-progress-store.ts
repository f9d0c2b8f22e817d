import {useEffect, useState} from 'react';
import type {ProgressSnapshot, ProgressStore} from '../../progress/progress-store.js';

/**
 * The store's snapshot, refreshed about ten times a second while `live`; once the
 * job settles, one last snapshot and no more timers, so a finished screen is still.
 */
export function useProgressStore(store: ProgressStore | undefined, live: boolean, intervalMs = 100): ProgressSnapshot | undefined {
	const [snapshot, setSnapshot] = useState(() => store?.snapshot());
	useEffect(() => {
		if (!store) return;
		setSnapshot(store.snapshot());
		return live ? store.subscribe(setSnapshot, intervalMs) : undefined;
	}, [store, live, intervalMs]);
	return snapshot;
}
