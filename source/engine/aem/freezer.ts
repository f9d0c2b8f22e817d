import {CrxError, failure} from '../platform/errors.js';
import type {BackupEvent} from '../types.js';
import type {Freezer} from '../backup/freezer.js';
import {pageKind} from './answers.js';
import {AemRequestError, aemRequest, operationPath, REPOSITORY, type AemConnection} from './jmx-client.js';
import {AemStatusReader} from './status.js';

/** The read-back runs while writes are blocked: it may not hold stage 4 for the whole freeze timeout. */
const READ_BACK_MS = 5000;

/**
 * The --aem preset: the freeze is AEM's own `blockRepositoryWrites`, the thaw its
 * `unblockRepositoryWrites` (com.adobe.granite:type=Repository), each a POST to the
 * JMX console bounded by the freeze timeout. The thaw runs once the freeze was
 * sent, whatever came back: a block that timed out or failed may still have taken
 * effect in AEM, and an unblock of unblocked writes does no harm. A cancel stops
 * waiting for the block (then thaws); the unblock is never cancelled, only timed out.
 *
 * Writes count as blocked only when AEM said so. HTTP 200 is not enough (a login
 * page is a 200 too), and the operation returns nothing (Adobe's jmx-console.md),
 * so after the block Repository.BackupInProgress is read back: only `true` confirms
 * it. Adobe does not document whether a block shows there; when it does not, the
 * backup goes on and says "writes blocking not confirmed" (see Freezer.unconfirmed).
 */
export function aemFreezer(connection: AemConnection, emit: (event: BackupEvent) => void, signal?: AbortSignal): Freezer {
	let sent = false;
	let refused = false;
	let thawFailed: string | undefined;
	let unconfirmed: string | undefined;
	const origin = connection.url.origin;
	const label = (operation: string) => `AEM ${operation} at ${origin}`;
	return {
		blocks: true,
		get thawFailed() {
			return thawFailed;
		},
		get unconfirmed() {
			return unconfirmed;
		},
		async freeze() {
			sent = true;
			emit({type: 'freeze', command: label('blockRepositoryWrites')});
			let body: string;
			try {
				body = await aemRequest(connection, 'POST', operationPath(REPOSITORY, 'blockRepositoryWrites'), 'blocking repository writes', signal);
			} catch (error) {
				if (error instanceof CrxError && error.kind === 'cancelled') throw error;
				// Past stage 3 the target holds copies: whatever AEM answered, this is a failed backup (exit 1), not bad input.
				throw failure((error as Error).message);
			}
			if (pageKind(body) === 'a login page') {
				refused = true;
				unconfirmed = `AEM at ${origin} answered blockRepositoryWrites with a login page, so it did not block writes: writes blocking not confirmed, and the last stage ran with writes going on.`;
				return;
			}
			unconfirmed = await readBack(connection, signal);
		},
		async thaw() {
			if (!sent) return;
			sent = false;
			let ok = true;
			try {
				const body = await aemRequest(connection, 'POST', operationPath(REPOSITORY, 'unblockRepositoryWrites'), 'unblocking repository writes');
				// A login page to a block AEM never took is no news; to one it may have taken, the block may stand.
				if (pageKind(body) === 'a login page' && !refused) throw new AemRequestError('failed', '', 'a login page');
			} catch (error) {
				ok = false;
				const how = error instanceof AemRequestError ? error.short : (error as Error).message;
				thawFailed = `Repository writes may still be blocked: unblockRepositoryWrites at ${origin} failed (${how}), so call it by hand in AEM's JMX console.`;
			}
			emit({type: 'thaw', command: label('unblockRepositoryWrites'), ok});
		},
	};
}

/** Undefined when AEM reports the block (BackupInProgress true), else the sentence saying it is not confirmed. */
async function readBack(connection: AemConnection, signal?: AbortSignal): Promise<string | undefined> {
	const origin = connection.url.origin;
	try {
		const read = await new AemStatusReader({...connection, timeoutMs: Math.min(connection.timeoutMs, READ_BACK_MS)}, signal).read(REPOSITORY, 'BackupInProgress', 'boolean');
		if (read.value === true) return undefined;
		const why = read.value === undefined ? `Repository.BackupInProgress could not be read back: ${read.why}` : 'Repository.BackupInProgress read back false';
		return `AEM at ${origin} accepted blockRepositoryWrites but did not confirm the block (${why}): writes blocking not confirmed.`;
	} catch (error) {
		if (error instanceof CrxError && error.kind === 'cancelled') throw error;
		return `AEM at ${origin} accepted blockRepositoryWrites but did not confirm the block (${error instanceof AemRequestError ? error.short : 'no answer'}): writes blocking not confirmed.`;
	}
}
