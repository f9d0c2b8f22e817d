/**
 * What an AEM answer says, read strictly. What AEM's JMX console answers for an
 * attribute or an operation is not publicly documented, so only forms whose
 * meaning is certain are read: a bare `true`/`false`, JSON, and Java's
 * `CompositeDataSupport.toString()` text. An HTML page (its layout is not
 * documented) or AEM's login page is never read as a value: the caller treats
 * it as "could not be read", never as "not running".
 */

/** What kind of page a body is, when it is a page rather than a value. */
export function pageKind(body: string): 'a login page' | 'an HTML page' | undefined {
	const head = body.trimStart().slice(0, 64 * 1024);
	if (!/^<(?:!doctype|html|head|body|\?xml|[a-z])/i.test(head) && !/<html[\s>]/i.test(head)) return undefined;
	// Granite's login form posts to j_security_check with j_username; Sling's form-based auth uses the same names.
	return /j_security_check|name=["']?j_username/i.test(head) ? 'a login page' : 'an HTML page';
}

/** `true`/`false` as text or JSON; undefined for anything else. */
export function readBoolean(body: string): boolean | undefined {
	const text = body.trim();
	if (text === 'true' || text === 'false') return text === 'true';
	return undefined;
}

const MAX_CODE = 5;

/**
 * Oak's status code (0 unavailable … 5 failed; 2 initiated and 3 running) from
 * the JSON `{"code": N, …}` or from `CompositeDataSupport(…,contents={code=N, …})`,
 * where the contents are a sorted map, so `code` comes first.
 */
export function readOakCode(body: string): number | undefined {
	const text = body.trim();
	if (text.startsWith('{')) {
		try {
			const code = (JSON.parse(text) as {code?: unknown}).code;
			return validCode(code);
		} catch {
			return undefined;
		}
	}
	const composite = /^javax\.management\.openmbean\.CompositeDataSupport\(compositeType=[\s\S]*,contents=\{code=(-?\d{1,3})(?:, |\})[\s\S]*\}\)$/.exec(text);
	return composite ? validCode(Number(composite[1])) : undefined;
}

const validCode = (code: unknown) => (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= MAX_CODE ? code : undefined);

export type StatusKind = 'boolean' | 'oak-status';

/**
 * A status from Sling's JMX resource provider: the type folder's `.infinity.json`
 * holds the MBean under `key`, its attribute at `mbean:attributes.<name>`, a value
 * at `mbean:value` and a CompositeData item at `mbean:attributes.<item>.mbean:value`
 * (the shape of Adobe's Nagios example, `{noname}.mbean:attributes.HeapMemoryUsage.mbean:attributes.used.mbean:value`).
 */
export function readSlingStatus(body: string, key: string, attribute: string, kind: StatusKind): boolean | number | undefined {
	let json: unknown;
	try {
		json = JSON.parse(body);
	} catch {
		return undefined;
	}
	const child = (value: unknown, name: string): unknown => (value && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined);
	const node = child(child(child(json, key), 'mbean:attributes'), attribute);
	if (kind === 'boolean') {
		const value = child(node, 'mbean:value');
		return typeof value === 'boolean' ? value : undefined;
	}
	return validCode(child(child(child(node, 'mbean:attributes'), 'code'), 'mbean:value'));
}

/** A console answer as a status value, or why it is not one (a short phrase). */
export function readConsoleStatus(body: string, kind: StatusKind): {value: boolean | number} | {why: string} {
	const page = pageKind(body);
	if (page === 'a login page') return {why: 'a login page'};
	if (page) return {why: 'an HTML page, whose layout crx-backup does not read'};
	const value = kind === 'boolean' ? readBoolean(body) : readOakCode(body);
	if (value !== undefined) return {value};
	return {why: `an answer crx-backup does not read ("${printable(body)}")`};
}

/** At most 40 characters of an answer, control characters shown as `?`: it goes into a one-line sentence. */
const printable = (body: string) => {
	const text = body.trim().replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};
