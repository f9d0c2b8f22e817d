import {CrxError, failure} from '../errors.js';
import type {BackupEvent} from '../types.js';
import type {Freezer} from '../backup/freezer.js';
import {AemRequestError, aemRequest, operationPath, REPOSITORY, type AemConnection} from './jmx-client.js';

/**
 * The --aem preset: the freeze is AEM's own `blockRepositoryWrites`, the thaw its
 * `unblockRepositoryWrites` (com.adobe.granite:type=Repository), each a POST to the
 * JMX console bounded by the freeze timeout. The thaw runs once the freeze was
 * sent, whatever came back: a block that timed out or failed may still have taken
 * effect in AEM, and an unblock of unblocked writes does no harm. A cancel stops
 * waiting for the block (then thaws); the unblock is never cancelled, only timed out.
 */
export function aemFreezer(connection: AemConnection, emit: (event: BackupEvent) => void, signal?: AbortSignal): Freezer {
	let sent = false;
	let thawFailed: string | undefined;
	const label = (operation: string) => `AEM ${operation} at ${connection.url.origin}`;
	return {
		blocks: true,
		get thawFailed() {
			return thawFailed;
		},
		async freeze() {
			sent = true;
			emit({type: 'freeze', command: label('blockRepositoryWrites')});
			try {
				await aemRequest(connection, 'POST', operationPath(REPOSITORY, 'blockRepositoryWrites'), 'blocking repository writes', signal);
			} catch (error) {
				if (error instanceof CrxError && error.kind === 'cancelled') throw error;
				// Past stage 3 the target holds copies: whatever AEM answered, this is a failed backup (exit 1), not bad input.
				throw failure((error as Error).message);
			}
		},
		async thaw() {
			if (!sent) return;
			sent = false;
			let ok = true;
			try {
				await aemRequest(connection, 'POST', operationPath(REPOSITORY, 'unblockRepositoryWrites'), 'unblocking repository writes');
			} catch (error) {
				ok = false;
				const how = error instanceof AemRequestError ? error.short : (error as Error).message;
				thawFailed = `Repository writes may still be blocked: unblockRepositoryWrites at ${connection.url.origin} failed (${how}), so call it by hand in AEM's JMX console.`;
			}
			emit({type: 'thaw', command: label('unblockRepositoryWrites'), ok});
		},
	};
}
