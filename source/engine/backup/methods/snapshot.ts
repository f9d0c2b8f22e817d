import {usageError} from '../../platform/errors.js';
import type {SnapshotReport} from '../../types.js';
import type {Freezer} from '../freezer.js';
import {createBtrfsSnapshot, deleteLeftoverSnapshots, findBtrfsPlace, type BtrfsPlace} from './btrfs.js';
import {commandSnapshot} from './snapshot-cmd.js';

/** How a snapshot will be made, decided before anything is written. */
export type SnapshotPlan =
	| {kind: 'btrfs'; place: BtrfsPlace}
	| {kind: 'command'; snapshotCmd: string; snapshotReleaseCmd?: string};

export interface SnapshotSettings {
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
}

/** The snapshot this repository can have: --snapshot-cmd when given, else btrfs when it is on btrfs, else none. */
export async function planSnapshot(quickstart: string, settings: SnapshotSettings): Promise<SnapshotPlan | undefined> {
	if (settings.snapshotCmd) return {kind: 'command', snapshotCmd: settings.snapshotCmd, snapshotReleaseCmd: settings.snapshotReleaseCmd};
	const place = await findBtrfsPlace(quickstart);
	return place ? {kind: 'btrfs', place} : undefined;
}

export function refuseNoSnapshot(quickstart: string): Error {
	return usageError(`The repository ${quickstart} is not on a file system crx-backup can snapshot (btrfs): pass --snapshot-cmd, or use --method online or offline.`);
}

export interface TakenSnapshot {
	/** crx-quickstart inside the snapshot: what the one pass copies. */
	quickstart: string;
	report: SnapshotReport;
	/** Deletes or unmounts the snapshot; never throws; sets report.released. */
	release(): Promise<void>;
}

/**
 * The seed's sequence: freeze, snapshot, thaw. Writes are blocked only across
 * the snapshot itself; the thaw runs whatever the snapshot did. Leftovers of a
 * killed run are deleted first, so a crash never leaks a snapshot's disk space
 * for longer than until the next backup.
 */
export async function takeSnapshot(plan: SnapshotPlan, freezer: Freezer, quickstart: string, env: Record<string, string>, timeoutMs: number, warn: (message: string) => void): Promise<{snapshot: TakenSnapshot; writesBlockedMs: number}> {
	if (plan.kind === 'btrfs') {
		for (const left of await deleteLeftoverSnapshots(plan.place.place)) warn(`A snapshot a killed backup left, ${left}, could not be deleted: delete it with btrfs subvolume delete.`);
	}
	const blockedAt = Date.now();
	let created: {quickstart: string; release(): Promise<boolean>};
	let createMs = 0;
	try {
		await freezer.freeze();
		const started = Date.now();
		created = plan.kind === 'btrfs'
			? await createBtrfsSnapshot(plan.place)
			: await commandSnapshot({snapshotCmd: plan.snapshotCmd, snapshotReleaseCmd: plan.snapshotReleaseCmd, timeoutMs, env}, quickstart);
		createMs = Date.now() - started;
	} finally {
		await freezer.thaw();
	}
	const writesBlockedMs = freezer.blocks ? Date.now() - blockedAt : 0;
	const report: SnapshotReport = {kind: plan.kind, createMs, released: false};
	const release = async () => {
		if (report.released) return;
		report.released = await created.release().catch(() => false);
		if (!report.released) warn(plan.kind === 'btrfs' ? 'The snapshot could not be deleted: the next backup deletes it.' : 'The snapshot release command failed: release the snapshot by hand.');
	};
	return {snapshot: {quickstart: created.quickstart, report, release}, writesBlockedMs};
}
