/** Restore drills: restore a backup into a scratch folder, start AEM there, time it, throw it away. */
import type {OperationEvent} from '../progress-contract.js';
import type {Repository} from './backup.js';
import type {BackupRef} from './catalog.js';

export interface DrillOptions {
	/** The live install whose backups are drilled; its owner runs the drill's AEM. Never touched itself. */
	repository: Repository;
	/** The backup to drill; default: the newest complete backup of `repository` crx-backup can prove it made. */
	backup?: BackupRef;
	/** Folders to look for backups in besides the repository's backup folder. */
	dirs?: string[];
	/** The drill AEM's HTTP port (CQ_PORT); default: a port free now. Refused (usage) when something listens on it. */
	port?: number;
	/** Leave the scratch folder in place (AEM stopped all the same). */
	keep?: boolean;
	/** How long AEM may take from its start command to ready (HTTP 200 and every bundle active). */
	startTimeoutMs: number;
	/** Run without a network namespace where one cannot be made (not root, no unshare): the drill's AEM can reach the network. */
	allowNetwork?: boolean;
	/** The AEM admin user the readiness probe reads the bundle list as (its password: CRX_BACKUP_AEM_PASSWORD or ~/.netrc). Default admin. */
	aemUser?: string;
	signal?: AbortSignal;
	onEvent?: (event: DrillEvent) => void;
}

/**
 * The drill's steps, in order: `cleanup` (a killed drill's AEM and scratch folder), `verify`, `restore`, `start`
 * (the start command until its JVM runs), `ready` (until HTTP 200 and every bundle active), `stop` (bin/stop until
 * the JVM exited, then the scratch folder removed unless kept).
 */
export type DrillStep = 'cleanup' | 'verify' | 'restore' | 'start' | 'ready' | 'stop';

/** One readiness probe's answer while the `ready` step waits, e.g. 503 from Sling's startup filter. */
export interface DrillProbeEvent {
	type: 'probe';
	/** The HTTP status of the page probed; absent when nothing answered. */
	http?: number;
	/** Felix's bundle status line ("Bundle information: 512 bundles in total - all 512 bundles active."), when read. */
	bundles?: string;
	/** One sentence: what answered, or why nothing did. */
	message: string;
}

export type DrillEvent = OperationEvent<DrillStep, DrillSummary> | DrillProbeEvent;

/** How the drill's AEM was kept off the network: its own network namespace with loopback only, or not at all (--allow-network). */
export type DrillIsolation = 'namespace' | 'none';

/** The drill's phase times; rtoMs (the restore time objective) is their sum. */
export interface DrillFigures {
	verifyMs: number;
	restoreMs: number;
	/** From the start command to ready (or to giving up). */
	startMs: number;
	rtoMs: number;
}

/** What a drill did; also what the state folder keeps as the last drill and what `status` shows. */
export interface DrillSummary {
	/** up: AEM came up (exit 0); verify-failed, restore-failed or not-up: the drill failed (exit 1). */
	result: 'up' | 'verify-failed' | 'restore-failed' | 'not-up';
	ok: boolean;
	/** One sentence: what came up and how fast, or why not. */
	sentence: string;
	repository: string;
	backup: {path: string; name: string; created: string};
	/** The backup's age when the drill started. */
	backupAgeMs: number;
	/** The drill's own folder (0700), made and removed by the drill. */
	scratch: string;
	/** The restored install in it (`scratch`/aem, holding crx-quickstart): what --keep leaves to look at. */
	restored: string;
	/** The scratch folder is still there (--keep). */
	kept: boolean;
	port: number;
	isolation: DrillIsolation;
	/** The uid the drill's AEM ran as (the install's owner). */
	uid: number;
	figures: DrillFigures;
	startedAt: string;
	finishedAt: string;
	/** What the cleanup step found of a killed drill and removed, one sentence each. */
	cleaned: string[];
}

/** The last drill and the last good one, as `status` reports them (`status --max-drill-age`). */
export interface DrillHealth {
	last?: DrillSummary;
	lastGood?: DrillSummary;
	/** How long ago the last drill and the last good one finished (the engine's clock). */
	lastAgeMs?: number;
	lastGoodAgeMs?: number;
	/** With a maximum age: false when there is no good drill or it is older. */
	fresh?: boolean;
	/** What was found of a killed drill and done about it (stopped, removed, or left and why), one sentence each. */
	cleaned?: string[];
}
