import {cancelled, CrxError} from '../platform/errors.js';
import {AEM_PASSWORD_ENV, type AemCredentials} from './credentials.js';

/** AEM's JMX console (Felix web console) and the MBeans crx-backup reads and calls. */
export const JMX_CONSOLE = '/system/console/jmx/';
export const REPOSITORY = 'com.adobe.granite:type=Repository';
export const REPOSITORY_MANAGEMENT = 'org.apache.jackrabbit.oak:name=repository manager,type=RepositoryManagement';
export const SEGMENT_REVISION_GC = 'org.apache.jackrabbit.oak:name=Segment node store revision garbage collection,type=SegmentRevisionGarbageCollection';

/** Sling's JMX resource provider (org.apache.sling.jmx.provider), which Adobe's monitoring docs read. */
export const SLING_MBEANS = '/system/sling/monitoring/mbeans/';

/** Where AEM's console is and how to log in: what every call needs. */
export interface AemConnection {
	url: URL;
	credentials: AemCredentials;
	/** Each request is abandoned after this long (the freeze timeout). */
	timeoutMs: number;
}

/**
 * A request that failed: `short` says how in a few words ("HTTP 500", "connection
 * refused") for a caller's own sentence; `status` is the HTTP status when AEM answered.
 */
export class AemRequestError extends CrxError {
	constructor(kind: 'usage' | 'failed', message: string, readonly short: string, readonly status?: number) {
		super(kind, message);
	}
}

/** `/system/console/jmx/<mbean>/a/<attribute>` or `/op/<operation>/`, the MBean name percent-encoded as the console links it. */
export const attributePath = (mbean: string, attribute: string) => `${JMX_CONSOLE}${encodeURIComponent(mbean)}/a/${attribute}`;
export const operationPath = (mbean: string, operation: string) => `${JMX_CONSOLE}${encodeURIComponent(mbean)}/op/${operation}/`;

/** java.net.URLEncoder.encode(value, "UTF-8"), as JMXResourceProvider encodes a key property into a path. */
export function javaUrlEncode(value: string): string {
	let out = '';
	for (const byte of Buffer.from(value, 'utf8')) {
		const c = String.fromCharCode(byte);
		out += /[A-Za-z0-9.\-*_]/.test(c) ? c : c === ' ' ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}
	return out;
}

/**
 * Where Sling's JSON holds an MBean: the request for its type folder (the domain
 * as folders, then the `type` key property), read to any depth, and the MBean's
 * child name in it (its `name` key property, or `{noname}`), as
 * JMXResourceProvider.convertObjectNameToResourcePath builds them. Only MBeans
 * named by domain, type and name are supported; anything else has no such folder here.
 */
export function slingFolder(mbean: string): {path: string; key: string} | undefined {
	const colon = mbean.indexOf(':');
	const properties = new Map(mbean.slice(colon + 1).split(',').map(pair => pair.split('=', 2) as [string, string]));
	const type = properties.get('type');
	if (colon < 0 || type === undefined || [...properties.keys()].some(key => key !== 'type' && key !== 'name')) return undefined;
	const name = properties.get('name');
	// In the URL each path segment is percent-encoded once more: the container decodes it back to URLEncoder's text.
	const folder = [...mbean.slice(0, colon).split('.'), javaUrlEncode(type)].map(segment => encodeURIComponent(segment)).join('/');
	return {path: `${SLING_MBEANS}${folder}.infinity.json`, key: name === undefined ? '{noname}' : javaUrlEncode(name)};
}

/**
 * One request to the console, bounded by the connection's timeout (and the signal).
 * Every failure is one sentence naming AEM's origin and what to do; none carries the
 * password or the Authorization header (the URL never holds credentials: see parseAemUrl).
 */
export async function aemRequest(connection: AemConnection, method: 'GET' | 'POST', requestPath: string, what: string, signal?: AbortSignal): Promise<string> {
	const {url, credentials, timeoutMs} = connection;
	const where = `AEM at ${url.origin}`;
	const authorization = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
	const timeout = AbortSignal.timeout(timeoutMs);
	let response: Response;
	let body: string | undefined;
	try {
		response = await fetch(new URL(url.pathname.replace(/\/+$/, '') + requestPath, url), {method, headers: {authorization}, redirect: 'manual', signal: signal ? AbortSignal.any([timeout, signal]) : timeout});
		body = await boundedText(response);
	} catch (error) {
		if (signal?.aborted && !timeout.aborted) throw cancelled('The backup was cancelled.');
		throw networkError(error, where, what, timeoutMs);
	}
	if (response.status === 401 || response.status === 403) {
		throw new AemRequestError('usage', `${where} refused the user "${credentials.user}" (HTTP ${response.status}) while ${what}: check --aem-user and the password in ${AEM_PASSWORD_ENV} or ~/.netrc.`, `HTTP ${response.status}`, response.status);
	}
	if (response.status >= 500) throw new AemRequestError('failed', `${where} answered HTTP ${response.status} while ${what}: see AEM's error.log.`, `HTTP ${response.status}`, response.status);
	if (response.status < 200 || response.status > 299) throw new AemRequestError('failed', `${where} answered HTTP ${response.status} while ${what}: check that --aem names AEM's own address (its JMX console at ${JMX_CONSOLE}).`, `HTTP ${response.status}`, response.status);
	if (body === undefined) throw new AemRequestError('failed', `${where} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB while ${what}.`, `more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`, response.status);
	return body;
}

/** No answer crx-backup reads is bigger (Sling's JSON for one MBean type is a few KiB): an AEM answer is untrusted input. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The body as text, or undefined once it grows past MAX_ANSWER_BYTES (the rest is not read). */
async function boundedText(response: Response): Promise<string | undefined> {
	if (!response.body) return '';
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		size += chunk.byteLength;
		if (size > MAX_ANSWER_BYTES) {
			await response.body.cancel().catch(() => undefined);
			return undefined;
		}
		chunks.push(Buffer.from(chunk));
	}
	return Buffer.concat(chunks).toString('utf8');
}

const tlsCodes = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/i;

function networkError(error: unknown, where: string, what: string, timeoutMs: number): AemRequestError {
	const fail = (message: string, short: string) => new AemRequestError('failed', message, short);
	const name = (error as Error)?.name;
	const seconds = Math.round(timeoutMs / 100) / 10;
	if (name === 'TimeoutError' || name === 'AbortError') return fail(`${where} did not answer within ${seconds} s while ${what}.`, `no answer within ${seconds} s`);
	const code = (error as {cause?: {code?: string}})?.cause?.code ?? '';
	if (code === 'ECONNREFUSED') return fail(`${where} refused the connection while ${what}: is AEM running, and is --aem its address?`, 'connection refused');
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fail(`${where} could not be found (no such host) while ${what}: check --aem.`, 'no such host');
	if (tlsCodes.test(code)) return fail(`The TLS connection to ${where} failed while ${what} (${code}): check its certificate, or set NODE_EXTRA_CA_CERTS for a private CA.`, `TLS error ${code}`);
	if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return fail(`${where} closed the connection while ${what}.`, 'connection closed');
	return fail(`${where} could not be reached while ${what}${code ? ` (${code})` : ''}.`, code || 'unreachable');
}
