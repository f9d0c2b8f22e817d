import fs from 'node:fs';
import path from 'node:path';
import {clockNow} from '../platform/clock.js';
import {readOwner} from '../platform/owner.js';
import type {BackupRecord} from '../types.js';
import {proveMade} from './provenance.js';

/**
 * What `list` trusts about a backup or a leftover: whether it is complete
 * beyond its looks, and whether crx-backup can prove it wrote it (the only
 * thing that lets prune and delete remove it).
 */

const euid = () => process.geteuid?.();
const trustedOwner = (uid: number) => euid() === undefined || uid === euid() || uid === 0;

/**
 * A backup that looks complete is complete only when nothing about it says otherwise: it is this
 * user's (or root's), not dated in the future (a planted or wrong-clock "newest" must never outrank
 * real backups), whole, and it ran no longer than 24 hours (the seed: discard it). Then whether
 * crx-backup can prove it wrote it (its record in the state folder), which alone lets prune and
 * delete remove it; a proven backup's time is the record's, never a date read from the backup.
 */
export function withProof(record: BackupRecord, stat: fs.Stats, whole: boolean): BackupRecord {
	const proof = proveMade(record.path, record.kind);
	if (proof.ours) Object.assign(record, {ours: true, created: proof.made.startedAt, ...(proof.made.adoptedAt ? {adopted: true} : {})});
	else Object.assign(record, {ours: false, unproven: proof.reason});
	if (record.status !== 'complete') return record;
	const problem = !trustedOwner(stat.uid) ? `it belongs to another user (uid ${stat.uid})`
		: Date.parse(record.created) > clockNow().getTime() + futureSlackMs ? `it is dated in the future (${record.created})`
			: !whole ? 'its zip holds fewer entries than its manifest counts: it is not whole'
				: record.over24h ? 'it ran longer than 24 hours: discard it, it may miss binaries' : undefined;
	return problem ? {...record, status: 'incomplete', problem} : record;
}

/** Clocks of machines that share a backup folder differ by seconds, not by this. */
const futureSlackMs = 5 * 60 * 1000;

/**
 * A leftover is ours when its marker is a file of this user's that names this place: another user
 * cannot plant a file owned by us, and a copy elsewhere (cp -a, restic restore) names the old place.
 * `target` undefined: any target (a restore's staging marker names the destination, not itself).
 */
export function markerProof(marker: string, target: string | undefined): Pick<BackupRecord, 'ours' | 'unproven'> {
	const stat = fs.lstatSync(marker, {throwIfNoEntry: false});
	if (!stat?.isFile() || stat.uid !== (euid() ?? stat.uid)) return {ours: false, unproven: 'its marker is not one this user\'s crx-backup wrote'};
	const owner = readOwner(marker);
	if (!owner) return {ours: false, unproven: 'its marker names no crx-backup run (AEM\'s own, or empty)'};
	if (target !== undefined && owner.target !== target) return {ours: false, unproven: 'its marker names another place (a copy of a backup)'};
	return {ours: true};
}

/** A zip's staging folder or partial zip: its staging marker names the zip being written, beside them. */
export function stagingProof(marker: string, leftover: string, stat: fs.Stats): Pick<BackupRecord, 'ours' | 'unproven'> {
	if (stat.uid !== (euid() ?? stat.uid)) return {ours: false, unproven: 'it belongs to another user'};
	// A partial zip whose staging folder is gone already (a cleanup stopped between the two): this user's file under our name.
	if (stat.isFile() && !fs.lstatSync(marker, {throwIfNoEntry: false})) return {ours: true};
	const owner = readOwner(marker);
	const zip = typeof owner?.target === 'string' ? owner.target : undefined;
	const base = zip && path.dirname(zip) === path.dirname(leftover) ? path.basename(zip).replace(/\.zip$/i, '') : undefined;
	if (base === undefined || !path.basename(leftover).startsWith(`${base}.`)) return markerProof(marker, '\0');
	return markerProof(marker, zip);
}
