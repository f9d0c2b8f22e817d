import {usageError} from '../platform/errors.js';
import type {StatusKind} from './answers.js';
import {aemCredentials} from './credentials.js';
import {REPOSITORY, REPOSITORY_MANAGEMENT, SEGMENT_REVISION_GC, type AemConnection} from './jmx-client.js';
import {AemStatusReader, statusName} from './status.js';

/** One status AEM reports that forbids a backup while it says so (the seed: never concurrently with GC or AEM's own backup). */
interface BusyCheck {
	mbean: string;
	attribute: string;
	/** What runs, as a sentence fragment. */
	what: string;
	kind: StatusKind;
}

/** Oak's status codes: 2 initiated, 3 running. */
const busy = (kind: StatusKind, value: boolean | number) => (kind === 'boolean' ? value === true : value === 2 || value === 3);

const checks: BusyCheck[] = [
	{mbean: REPOSITORY, attribute: 'BackupInProgress', what: 'its own online backup', kind: 'boolean'},
	{mbean: REPOSITORY_MANAGEMENT, attribute: 'RevisionGCStatus', what: 'revision garbage collection', kind: 'oak-status'},
	{mbean: SEGMENT_REVISION_GC, attribute: 'RevisionGCRunning', what: 'revision garbage collection', kind: 'boolean'},
	{mbean: REPOSITORY_MANAGEMENT, attribute: 'DataStoreGCStatus', what: 'datastore garbage collection', kind: 'oak-status'},
];

export interface AemPreflight {
	connection: AemConnection;
	/** What --force let through, and what the credentials warn about. */
	warnings: string[];
}

/**
 * Before anything is written: the password (environment or ~/.netrc), then AEM's
 * statuses (status.ts: Sling's JSON, then the console). A wrong password or an AEM
 * that cannot be reached stops the backup here. Fails closed: something running,
 * or a status that no source gave, refuses the start (exit 2) unless `force`,
 * which goes on with a warning naming it.
 */
export async function aemPreflight(aem: {url: string; user?: string}, timeoutMs: number, force: boolean, signal?: AbortSignal): Promise<AemPreflight> {
	const url = new URL(aem.url);
	const {warnings, ...credentials} = aemCredentials(url, aem.user);
	const connection: AemConnection = {url, credentials, timeoutMs};
	const reader = new AemStatusReader(connection, signal);
	const running = new Set<string>();
	const unread = new Map<string, {whats: Set<string>; statuses: string[]}>();
	for (const check of checks) {
		const read = await reader.read(check.mbean, check.attribute, check.kind);
		if (read.value === undefined) {
			const entry = unread.get(read.why) ?? {whats: new Set(), statuses: []};
			entry.whats.add(check.what);
			entry.statuses.push(statusName(check.mbean, check.attribute));
			unread.set(read.why, entry);
		} else if (busy(check.kind, read.value)) {
			running.add(check.what);
		}
	}
	if (running.size > 0) {
		const what = [...running].join(' and ');
		if (!force) throw usageError(`AEM at ${url.origin} is running ${what}: start the backup once it has finished (never concurrently), or give --force to start anyway.`);
		warnings.push(`Started while AEM was running ${what} (--force).`);
	}
	if (unread.size > 0) {
		const whats = [...new Set([...unread.values()].flatMap(entry => [...entry.whats]))];
		const reasons = [...unread.entries()].map(([why, entry]) => `${entry.statuses.join(', ')}: ${why}`).join('; ');
		const subject = `AEM at ${url.origin} did not say whether ${orList(whats)} ${whats.length > 1 ? 'are' : 'is'} running (${reasons})`;
		if (!force) throw usageError(`${subject}: a backup must not run concurrently with them, so find why AEM does not give its status, or give --force to start without knowing.`);
		warnings.push(`${subject}; started anyway (--force).`);
	}
	return {connection, warnings};
}

const orList = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);
