import fs from 'node:fs';

/**
 * The live processes in process group `pgid` (zombies left out: init reaps the
 * detached daemon's children late). The fake AEM's daemon leads its own group
 * (bin/start runs it with setsid) with its live writer and repo.lock holder in it.
 */
export function processGroup(pgid: number): number[] {
	const members: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// Fields after the parenthesised command: state ppid pgrp …
			const [state, , group] = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\)\s+/s, '').split(/\s+/);
			if (Number(group) === pgid && state !== 'Z') members.push(Number(entry));
		} catch {
			// Gone meanwhile.
		}
	}
	return members;
}
