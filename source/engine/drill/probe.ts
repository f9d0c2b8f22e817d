import {spawn} from 'node:child_process';
import {toolEnv} from '../platform/child-env.js';
import {enterNamespace} from './isolation.js';
import {checkListener} from './listener.js';
import type {DrillProbeEvent} from '../types.js';

/** Answers 200 to anyone once Sling's startup filter is gone (503 while AEM starts). */
export const LOGIN_PATH = '/libs/granite/core/content/login.html';
/** The Felix web console's bundle list (admin only): its `s` array is [total, active, active fragments, resolved, installed]. */
export const BUNDLES_PATH = '/system/console/bundles.json';

/**
 * The probe, run as its own node process so that it can run inside the drill's network namespace (nsenter), where
 * the drill's AEM listens on its own loopback: GETs the login page, then bundles.json with the admin's basic
 * auth, and prints what it got as one JSON line. Its input (port, Authorization header) comes on stdin, never
 * in argv (the process list) or the environment.
 */
const SCRIPT = `
let input = '';
process.stdin.on('data', c => (input += c)).on('end', async () => {
	const {port, authorization, login, bundles} = JSON.parse(input);
	const get = (p, headers) => fetch('http://127.0.0.1:' + port + p, {headers, redirect: 'manual', signal: AbortSignal.timeout(5000)});
	const out = {};
	try {
		out.http = (await get(login, {})).status;
		if (out.http === 200) {
			const answer = await get(bundles, {authorization});
			out.bundlesHttp = answer.status;
			if (answer.status === 200) out.body = (await answer.text()).slice(0, 1 << 20);
		}
	} catch (error) {
		out.error = (error.cause && error.cause.code) || error.name;
	}
	process.stdout.write(JSON.stringify(out));
});`;

interface RawProbe {
	http?: number;
	bundlesHttp?: number;
	body?: string;
	error?: string;
}

export interface ProbeResult extends DrillProbeEvent {
	ready: boolean;
	/** Someone else's process listens on the port: the drill's AEM cannot be the one answering; end the drill. */
	foreign?: boolean;
}

/** Ready only as a careful start script would say it: the login page answers 200 and no bundle is left resolved or installed. */
export function judge(raw: RawProbe): ProbeResult {
	if (raw.http === undefined) return {type: 'probe', ready: false, message: `nothing answers yet (${raw.error ?? 'no answer'})`};
	if (raw.http !== 200) return {type: 'probe', http: raw.http, ready: false, message: `${LOGIN_PATH} answers HTTP ${raw.http}${raw.http === 503 ? ' (still starting)' : ''}`};
	if (raw.bundlesHttp !== 200 || raw.body === undefined) return {type: 'probe', http: raw.http, ready: false, message: `${BUNDLES_PATH} answers ${raw.bundlesHttp === undefined ? `nothing (${raw.error ?? 'no answer'})` : `HTTP ${raw.bundlesHttp}`}${raw.bundlesHttp === 401 ? ': set CRX_BACKUP_AEM_PASSWORD to the restored AEM\'s admin password' : ''}`};
	let parsed: {status?: unknown; s?: unknown};
	try {
		parsed = JSON.parse(raw.body) as {status?: unknown; s?: unknown};
	} catch {
		return {type: 'probe', http: raw.http, ready: false, message: `${BUNDLES_PATH} answers, but not with JSON`};
	}
	const status = typeof parsed.status === 'string' ? parsed.status.slice(0, 300) : undefined;
	const counts = Array.isArray(parsed.s) && parsed.s.length >= 5 && parsed.s.every(n => Number.isInteger(n)) ? parsed.s as number[] : undefined;
	// Felix's counts: total, active, active fragments, resolved, installed. Everything active, and something at all.
	const ready = counts !== undefined && counts[0]! > 0 && counts[3] === 0 && counts[4] === 0 && counts[1]! + counts[2]! === counts[0];
	const base = {type: 'probe' as const, http: raw.http, ...(status ? {bundles: status} : {})};
	if (!counts) return {...base, ready: false, message: `${BUNDLES_PATH} answers without its bundle counts`};
	return {...base, ready, message: ready ? `all ${counts[0]} bundles active` : `${counts[1]! + counts[2]!} of ${counts[0]} bundles active`};
}

/**
 * One probe of the drill's AEM on `port`, inside the network namespace of `namespacePid` when given. Outside one,
 * when `drillPids` is given (the drill's JVM and the processes in its scratch folder), the listener on the port is
 * proven theirs (listener.ts) before the login page is asked for and again right before the admin's credentials
 * are sent; the requests are made here, right after each synchronous check, rather than by a child started
 * tens of milliseconds later. Inside a namespace nobody else can listen, and `drillPids` is not needed.
 */
export function probe(port: number, authorization: string, namespacePid?: number, drillPids?: () => Iterable<number>): Promise<ProbeResult> {
	if (namespacePid === undefined && drillPids) return probeChecked(port, authorization, drillPids);
	const node = [process.execPath, '-e', SCRIPT];
	const [file, ...args] = namespacePid === undefined ? node : [...enterNamespace(namespacePid), ...node];
	return new Promise(resolve => {
		const child = spawn(file!, args, {env: toolEnv(), stdio: ['pipe', 'pipe', 'ignore']});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.on('error', error => resolve(judge({error: error.message})));
		child.on('close', () => {
			try {
				resolve(judge(JSON.parse(out) as RawProbe));
			} catch {
				resolve(judge({error: 'the probe did not run'}));
			}
		});
		child.stdin.end(JSON.stringify({port, authorization, login: LOGIN_PATH, bundles: BUNDLES_PATH}));
	});
}

/** The probe on the host's loopback: nothing is sent, credentials least of all, to a listener not proven the drill's. */
async function probeChecked(port: number, authorization: string, drillPids: () => Iterable<number>): Promise<ProbeResult> {
	const refusal = (): ProbeResult | undefined => {
		const check = checkListener(port, drillPids());
		if (check.state === 'ours') return undefined;
		return check.state === 'none' ? judge({error: check.message}) : {type: 'probe', ready: false, foreign: true, message: check.message};
	};
	const get = (where: string, headers: Record<string, string>) => fetch(`http://127.0.0.1:${port}${where}`, {headers, redirect: 'manual', signal: AbortSignal.timeout(5000)});
	const raw: RawProbe = {};
	try {
		const before = refusal();
		if (before) return before;
		const first = await get(LOGIN_PATH, {});
		raw.http = first.status;
		await first.body?.cancel();
		if (raw.http === 200) {
			const again = refusal();
			if (again) return again;
			const answer = await get(BUNDLES_PATH, {authorization});
			raw.bundlesHttp = answer.status;
			if (answer.status === 200) raw.body = (await answer.text()).slice(0, 1 << 20);
		}
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause;
		raw.error = cause?.code ?? (error as Error).name;
	}
	return judge(raw);
}
