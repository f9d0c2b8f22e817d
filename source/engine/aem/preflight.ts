import {usageError} from '../errors.js';
import {aemCredentials} from './credentials.js';
import {AemRequestError, aemRequest, attributePath, REPOSITORY, REPOSITORY_MANAGEMENT, SEGMENT_REVISION_GC, type AemConnection} from './jmx-client.js';

/** One status AEM reports that forbids a backup while it is true (the seed: never concurrently with GC or AEM's own backup). */
interface BusyCheck {
	mbean: string;
	attribute: string;
	/** What runs, as a sentence fragment. */
	what: string;
	busy: (text: string) => boolean;
}

/** Oak's CompositeData status {code, …}: 2 initiated, 3 running. */
const oakRunning = (text: string) => [2, 3].includes((JSON.parse(text) as {code?: number}).code ?? 0);
const isTrue = (text: string) => {
	if (!/^(true|false)$/.test(text.trim())) throw new Error('not a boolean');
	return text.trim() === 'true';
};

const checks: BusyCheck[] = [
	{mbean: REPOSITORY, attribute: 'BackupInProgress', what: 'its own online backup', busy: isTrue},
	{mbean: REPOSITORY_MANAGEMENT, attribute: 'RevisionGCStatus', what: 'revision garbage collection', busy: oakRunning},
	{mbean: SEGMENT_REVISION_GC, attribute: 'RevisionGCRunning', what: 'revision garbage collection', busy: isTrue},
	{mbean: REPOSITORY_MANAGEMENT, attribute: 'DataStoreGCStatus', what: 'datastore garbage collection', busy: oakRunning},
];

export interface AemPreflight {
	connection: AemConnection;
	/** Statuses that could not be read, and what --force let through. */
	warnings: string[];
}

/**
 * Before anything is written: the password (environment or ~/.netrc), then AEM's
 * statuses. A wrong password or an AEM that cannot be reached stops the backup here
 * (its freeze would fail after three stages of copying); a status AEM does not give
 * is a warning; something running refuses the start (exit 2) unless `force`.
 */
export async function aemPreflight(aem: {url: string; user?: string}, timeoutMs: number, force: boolean, signal?: AbortSignal): Promise<AemPreflight> {
	const url = new URL(aem.url);
	const connection: AemConnection = {url, credentials: aemCredentials(url, aem.user), timeoutMs};
	const warnings: string[] = [];
	const running = new Set<string>();
	for (const check of checks) {
		const source = `${check.mbean.replace(/^.*type=/, '')}.${check.attribute}`;
		let text: string;
		try {
			text = await aemRequest(connection, 'GET', attributePath(check.mbean, check.attribute), `reading ${source}`, signal);
		} catch (error) {
			// Only an HTTP answer means AEM is there but does not give this status; anything else is fatal.
			if (!(error instanceof AemRequestError) || error.status === undefined || error.kind === 'usage') throw error;
			warnings.push(`Could not read ${source} from AEM (${error.short}): it was not checked whether ${check.what} is running.`);
			continue;
		}
		try {
			if (check.busy(text)) running.add(check.what);
		} catch {
			warnings.push(`AEM's ${source} was not understood: it was not checked whether ${check.what} is running.`);
		}
	}
	if (running.size > 0) {
		const what = [...running].join(' and ');
		if (!force) throw usageError(`AEM at ${url.origin} is running ${what}: start the backup once it has finished (never concurrently), or give --force to start anyway.`);
		warnings.push(`Started while AEM was running ${what} (--force).`);
	}
	return {connection, warnings};
}
