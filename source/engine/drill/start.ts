import fs from 'node:fs';
import path from 'node:path';
import {waitUntilDown} from '../backup/methods/aem-process.js';
import {jvmAlive, type AemJvm} from '../backup/methods/aem-jvm.js';
import type {RunAs} from '../backup/methods/aem-user.js';
import {runCommand} from '../backup/methods/run-command.js';
import {startAem} from '../backup/methods/start-aem.js';
import {aemEnv, type AemUser} from '../platform/child-env.js';
import {defaultStopTimeoutMs} from '../option-rules.js';
import type {DrillEvent, DrillStep} from '../types.js';
import {removeTree} from '../walk/remove-tree.js';
import {enterNamespace} from './isolation.js';
import {stopDrillProcesses} from './leftovers.js';

const shQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

export interface DrillStart {
	as?: RunAs;
	user?: AemUser;
	port: number;
	prefix?: string[];
	timeoutMs: number;
}

/**
 * The restored bin/start, as an offline backup starts AEM (start-aem.ts): as the owner, with AEM's clean
 * environment, and CQ_PORT set to the drill's port (AEM's script takes its port from CQ_PORT).
 */
export function startDrillAem(quickstart: string, how: DrillStart): Promise<string | undefined> {
	const env = {...aemEnv(how.user), CQ_PORT: String(how.port)};
	return startAem({command: shQuote(path.join(quickstart, 'bin/start')), as: how.as, prefix: how.prefix}, quickstart, env, how.timeoutMs, undefined);
}

/**
 * The `stop` step: the restored bin/stop as its owner, the JVM waited for until it exited, then whatever the
 * drill still has running in its folder stopped (leftovers.ts), and the folder removed unless kept. `left`: a
 * process would not stop, so the folder stays for the next drill's cleanup.
 */
export async function stopAndClean(
	scratch: string, quickstart: string, jvm: AemJvm | undefined, uid: number, keep: boolean, how: Pick<DrillStart, 'as' | 'user' | 'port'> & {namespace: boolean},
	begin: (step: DrillStep) => void, end: (step: DrillStep) => number, emit: (event: DrillEvent) => void,
): Promise<'removed' | 'kept' | 'left'> {
	if (!fs.lstatSync(scratch, {throwIfNoEntry: false})) return 'removed';
	begin('stop');
	if (jvm && jvmAlive(jvm)) {
		// In the drill AEM's own namespace, with its port, as it was started: a restored bin/stop reaches no more than bin/start did.
		const stop = await runCommand(shQuote(path.join(quickstart, 'bin/stop')), undefined, {
			env: {...aemEnv(how.user), CQ_PORT: String(how.port)}, as: how.as, cwd: path.dirname(quickstart), timeoutMs: defaultStopTimeoutMs, what: 'stop command',
			prefix: how.namespace ? enterNamespace(jvm.pid) : undefined,
		});
		if (!stop.ok) emit({type: 'warning', message: `${stop.reason} The drill stops its AEM by signal.`});
		await waitUntilDown(quickstart, jvm, Date.now() + defaultStopTimeoutMs).catch(() => false);
	}
	if (!(await stopDrillProcesses(scratch, uid))) {
		emit({type: 'warning', message: `Processes still run in ${scratch}: it was left; the next drill stops them and removes it.`});
		end('stop');
		return 'left';
	}
	if (!keep) await removeTree(scratch);
	end('stop');
	return keep ? 'kept' : 'removed';
}
