import {aemCredentials} from './credentials.js';
import {REPOSITORY} from './jmx-client.js';
import {AemStatusReader} from './status.js';

export interface AemReachability {
	reachable: boolean;
	/** One sentence: what answered, or why nothing did (never the password). */
	message: string;
}

/**
 * Whether AEM at `aem.url` answers with these credentials, for Home: one read of
 * Repository.BackupInProgress the way the backup reads it (Sling's JSON, then the
 * console). An AEM that answers only with a login page or a page crx-backup cannot
 * read is not reachable for a backup. Never throws.
 */
export async function probeAem(aem: {url: string; user?: string}, timeoutMs = 5000): Promise<AemReachability> {
	try {
		const url = new URL(aem.url);
		const {warnings: _warnings, ...credentials} = aemCredentials(url, aem.user);
		const read = await new AemStatusReader({url, credentials, timeoutMs}).read(REPOSITORY, 'BackupInProgress', 'boolean');
		if (read.value === undefined) return {reachable: false, message: `AEM at ${url.origin} answers, but not with its status (${read.why}): a backup would refuse to start.`};
		return {reachable: true, message: `reachable at ${url.origin}${read.value === true ? ', running its own backup' : ''}`};
	} catch (error) {
		return {reachable: false, message: (error as Error).message};
	}
}
