import type {AemState, BackupOptions} from '../../types.js';
import type {Freezer} from '../freezer.js';
import type {CopySource} from './copy-source.js';
import {defaultStopTimeoutMs} from '../../option-rules.js';
import {openOffline, planOffline, type OfflinePlan} from './offline.js';
import {planSnapshot, refuseNoSnapshot, takeSnapshot, type SnapshotPlan} from './snapshot.js';

/**
 * How a backup's copy is made (--method). Online: the seed's four converging
 * stages on the live tree, stage 4 frozen. Snapshot: freeze, snapshot, thaw, then
 * one pass from the snapshot. Offline: stop AEM, one pass (from a snapshot when
 * there is one, AEM started again right after it), start AEM. Everything else
 * (target area, count, manifest, zip, lock, cancel) is the same for all three.
 */
export type {CopySource} from './copy-source.js';
export type MethodPlan = {method: 'online'} | {method: 'snapshot'; snapshot: SnapshotPlan} | {method: 'offline'; offline: OfflinePlan};

/** Decided before the lock and the target area: a refusal here (exit 2) has written nothing. */
export async function planMethod(options: BackupOptions): Promise<MethodPlan> {
	const quickstart = options.repository.quickstart;
	if (options.method === 'snapshot') {
		const snapshot = await planSnapshot(quickstart, options);
		if (!snapshot) throw refuseNoSnapshot(quickstart);
		return {method: 'snapshot', snapshot};
	}
	if (options.method === 'offline') {
		return {method: 'offline', offline: await planOffline(quickstart, {...options, stopTimeoutMs: options.stopTimeoutMs ?? defaultStopTimeoutMs})};
	}
	return {method: 'online'};
}

export interface OpenContext {
	quickstart: string;
	freezer: Freezer;
	env: Record<string, string>;
	timeoutMs: number;
	warn: (message: string) => void;
	/** Offline: where AEM is (stopping, down, starting, running). */
	onAem?: (state: AemState) => void;
	signal?: AbortSignal;
}

export async function openMethod(plan: MethodPlan, context: OpenContext): Promise<CopySource> {
	const {quickstart} = context;
	if (plan.method === 'offline') return openOffline(plan.offline, quickstart, context.env, context.warn, context.signal, context.onAem);
	if (plan.method === 'online') return {source: quickstart, onePass: false, report: {method: 'online'}, writesBlockedMs: () => undefined, finish: async () => undefined};
	const {snapshot, writesBlockedMs} = await takeSnapshot(plan.snapshot, context.freezer, quickstart, context.env, context.timeoutMs, context.warn);
	return {
		source: snapshot.quickstart, onePass: true, report: {method: 'snapshot', snapshot: snapshot.report}, writesBlockedMs: () => writesBlockedMs,
		finish: async () => {
			await snapshot.release();
			return undefined;
		},
	};
}

/**
 * The refusal a method would meet on this repository now (the TUI's Method field
 * shows it before Enter), or undefined when it can run. The same checks as a
 * backup's, so the field and the backup never disagree.
 */
export async function checkMethod(repository: BackupOptions['repository'], method: BackupOptions['method']): Promise<string | undefined> {
	try {
		await planMethod({repository, method, target: {path: '', kind: 'directory'}, delayMs: 0});
		return undefined;
	} catch (error) {
		return (error as Error).message;
	}
}
