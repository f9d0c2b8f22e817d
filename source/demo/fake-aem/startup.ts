/**
 * How AEM comes up, as seen over HTTP, in three phases counted from when its HTTP port opens:
 *
 *   starting   every request answers 503: Sling's startup filter (apache/sling-org-apache-sling-startupfilter)
 *              answers 503 Service Unavailable to every request until start-up is over.
 *   bundles    pages answer, but the Felix web console's /system/console/bundles.json says some bundles are
 *              only resolved: its `s` array is [total, active, active fragments, resolved, installed] and its
 *              status line "Bundle information: N bundles in total, A bundles active, F bundles active
 *              fragments, R bundles resolved, I bundles installed." (Felix BundlesServlet). Start scripts
 *              wait for resolved and installed to reach 0 (headwirecom/peregrine-cms docker/scripts/start.sh:
 *              `.s[3:5]` equal to `[0,0]`).
 *   ready      "Bundle information: N bundles in total - all N bundles active."
 *
 * The login page (/libs/granite/core/content/login.html) answers anonymously once the startup filter is
 * gone, as AEM's does; everything else still needs the admin's basic auth. How long each phase lasts is the
 * fixture's (config or FAKE_AEM_STARTUP_MS / FAKE_AEM_BUNDLES_MS), so tests wait for states, not times;
 * `bundlesStuck` keeps it in `bundles` for good (an install that never comes up).
 */
export const LOGIN_PATH = '/libs/granite/core/content/login.html';
export const BUNDLES_PATH = '/system/console/bundles.json';

/** The fixture's bundle count; a real AEM 6.5 has about 600. */
const BUNDLES = 512;
/** How many stay resolved during the `bundles` phase. */
const RESOLVED = 37;

export interface StartupTimes {
	startupMs: number;
	bundlesMs: number;
	bundlesStuck?: boolean;
}

export type StartupPhase = 'starting' | 'bundles' | 'ready';

export function startupPhase(times: StartupTimes, openedAt: number, now = Date.now()): StartupPhase {
	const since = now - openedAt;
	if (since < times.startupMs) return 'starting';
	if (times.bundlesStuck || since < times.startupMs + times.bundlesMs) return 'bundles';
	return 'ready';
}

/** bundles.json's summary (its `s` array and status line; the per-bundle `data` is left out: nothing reads it). */
export function bundlesJson(phase: Exclude<StartupPhase, 'starting'>): string {
	const resolved = phase === 'ready' ? 0 : RESOLVED;
	const active = BUNDLES - resolved;
	const status = resolved === 0
		? `Bundle information: ${BUNDLES} bundles in total - all ${BUNDLES} bundles active.`
		: `Bundle information: ${BUNDLES} bundles in total, ${active} bundles active, 0 bundles active fragments, ${resolved} bundles resolved, 0 bundles installed.`;
	return JSON.stringify({status, s: [BUNDLES, active, 0, resolved, 0], data: []});
}

export const STARTING_PAGE = '<html><head><title>503 Service Unavailable</title></head><body><h1>Startup in progress</h1></body></html>';

export const LOGIN_FORM = '<!DOCTYPE html><html><head><title>AEM Sign In</title></head><body><form method="POST" action="/libs/granite/core/content/login.html/j_security_check"><input name="j_username"><input name="j_password" type="password"></form></body></html>';
