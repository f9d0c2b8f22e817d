import {pageKind, readConsoleStatus, readSlingStatus, type StatusKind} from './answers.js';
import {AemRequestError, aemRequest, attributePath, slingFolder, type AemConnection} from './jmx-client.js';

/** A status read from AEM, or why it could not be read from any source (one phrase per source). */
export type StatusRead = {value: boolean | number; from: 'sling-json' | 'console'} | {value?: undefined; why: string};

/** `Repository.BackupInProgress`: the MBean's type and the attribute, as sentences name a status. */
export const statusName = (mbean: string, attribute: string) => `${mbean.replace(/^.*type=/, '').replace(/,.*$/, '')}.${attribute}`;

/**
 * Reads AEM's statuses: first from Sling's JSON MBean resources (the documented
 * source, one request per MBean type, kept for the reader's life), then from the
 * JMX console's attribute URL in any form it is read in (answers.ts). A wrong
 * password (401/403) or an AEM that cannot be reached at all throws; an HTTP
 * error, a page or an answer that is not a value is a reason, never a value.
 */
export class AemStatusReader {
	private readonly folders = new Map<string, Promise<{body?: string; why?: string}>>();

	constructor(
		private readonly connection: AemConnection,
		private readonly signal?: AbortSignal,
	) {}

	async read(mbean: string, attribute: string, kind: StatusKind): Promise<StatusRead> {
		const what = `reading ${statusName(mbean, attribute)}`;
		const folder = slingFolder(mbean);
		let slingWhy = 'no Sling resource for this MBean';
		if (folder) {
			const answer = await this.folder(folder.path, what);
			if (answer.body !== undefined) {
				const value = readSlingStatus(answer.body, folder.key, attribute, kind);
				if (value !== undefined) return {value, from: 'sling-json'};
				slingWhy = `Sling's JSON ${pageKind(answer.body) ? `was ${pageKind(answer.body)}` : 'did not hold it'}`;
			} else {
				slingWhy = `Sling's JSON ${answer.why}`;
			}
		}
		let body: string;
		try {
			body = await aemRequest(this.connection, 'GET', attributePath(mbean, attribute), what, this.signal);
		} catch (error) {
			if (!answered(error)) throw error;
			return {why: `${slingWhy}; the JMX console answered ${(error as AemRequestError).short}`};
		}
		const read = readConsoleStatus(body, kind);
		return 'value' in read ? {value: read.value, from: 'console'} : {why: `${slingWhy}; the JMX console answered ${read.why}`};
	}

	private folder(requestPath: string, what: string): Promise<{body?: string; why?: string}> {
		let pending = this.folders.get(requestPath);
		if (!pending) {
			pending = aemRequest(this.connection, 'GET', requestPath, what, this.signal).then(
				body => ({body}),
				(error: unknown) => {
					if (!answered(error)) throw error;
					return {why: `answered ${(error as AemRequestError).short}`};
				},
			);
			this.folders.set(requestPath, pending);
		}
		return pending;
	}
}

/** An HTTP answer other than 401/403: AEM is there, this source just does not give the status. */
const answered = (error: unknown) => error instanceof AemRequestError && error.status !== undefined && error.kind !== 'usage';
