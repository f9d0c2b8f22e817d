import fs from 'node:fs';
import {descendants} from '../../source/demo/fake-aem/control.js';

/**
 * The fake AEM's daemon and what it runs (its live writer, its repo.lock holder),
 * while it runs. Like AEM's java, the daemon has no process group of its own
 * (bin/start does not setsid), so its processes are found by parentage.
 */
export function processTree(pid: number): number[] {
	return alive([pid, ...descendants(pid)]);
}

/** Those of `pids` still alive (zombies left out: init reaps the detached daemon's children late). */
export function alive(pids: number[]): number[] {
	return pids.filter(pid => {
		try {
			return !/\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
		} catch {
			return false;
		}
	});
}
