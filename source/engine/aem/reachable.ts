import {aemCredentials} from './credentials.js';
import {aemRequest, attributePath, REPOSITORY} from './jmx-client.js';

export interface AemReachability {
	reachable: boolean;
	/** One sentence: what answered, or why nothing did (never the password). */
	message: string;
}

/**
 * Whether AEM's JMX console at `aem.url` answers with these credentials, for Home:
 * one read of Repository.BackupInProgress (what the backup's checks read first).
 * Never throws.
 */
export async function probeAem(aem: {url: string; user?: string}, timeoutMs = 5000): Promise<AemReachability> {
	try {
		const url = new URL(aem.url);
		const connection = {url, credentials: aemCredentials(url, aem.user), timeoutMs};
		const backup = await aemRequest(connection, 'GET', attributePath(REPOSITORY, 'BackupInProgress'), 'checking it');
		return {reachable: true, message: `reachable at ${url.origin}${backup.trim() === 'true' ? ", running its own backup" : ''}`};
	} catch (error) {
		return {reachable: false, message: (error as Error).message};
	}
}
