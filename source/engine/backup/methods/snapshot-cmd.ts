import fs from 'node:fs';
import path from 'node:path';
import {failure} from '../../platform/errors.js';
import {isInsideOrEqual} from '../../platform/paths.js';
import {hookEnv} from '../../platform/child-env.js';
import {runCommand} from './run-command.js';

export interface CommandSnapshot {
	/** crx-quickstart inside the mounted snapshot. */
	quickstart: string;
	release(): Promise<boolean>;
}

export interface SnapshotCommands {
	snapshotCmd: string;
	snapshotReleaseCmd?: string;
	timeoutMs: number;
	env: Record<string, string>;
}

/**
 * --snapshot-cmd: any snapshot (LVM, ZFS, a cloud volume). It prints the mounted
 * snapshot's path of the install folder (its last line of stdout);
 * --snapshot-release-cmd gets that path in CRX_BACKUP_SNAPSHOT and runs whenever
 * the snapshot command ran, even when what it printed is refused.
 */
export async function commandSnapshot(commands: SnapshotCommands, quickstart: string): Promise<CommandSnapshot> {
	const result = await runCommand(commands.snapshotCmd, undefined, {env: hookEnv(commands.env), timeoutMs: commands.timeoutMs, what: 'snapshot command'});
	const printed = result.stdout.trim().split('\n').pop()?.trim() ?? '';
	let released = false;
	const release = async () => {
		if (released || !commands.snapshotReleaseCmd) return released || !commands.snapshotReleaseCmd;
		const done = await runCommand(commands.snapshotReleaseCmd, undefined, {
			env: hookEnv({...commands.env, CRX_BACKUP_SNAPSHOT: printed}), timeoutMs: commands.timeoutMs, what: 'snapshot release command',
		});
		released = done.ok;
		return released;
	};
	const refuse = async (sentence: string) => {
		await release();
		return failure(sentence);
	};
	if (!result.ok) throw await refuse(`${result.reason} The backup was aborted.`);
	if (!path.isAbsolute(printed)) throw await refuse(`The snapshot command printed "${printed.slice(0, 200)}", not an absolute path: it must print the mounted snapshot's path of the install folder.`);
	const inside = path.join(printed, path.basename(quickstart));
	let real: string;
	try {
		real = fs.realpathSync(inside);
		if (!fs.statSync(real).isDirectory()) throw new Error('not a folder');
	} catch {
		throw await refuse(`The snapshot command printed ${printed}, which holds no ${path.basename(quickstart)} folder: it must print the mounted snapshot's path of the install folder.`);
	}
	if (isInsideOrEqual(real, quickstart) || isInsideOrEqual(quickstart, real)) {
		throw await refuse(`The snapshot command printed ${printed}, which leads to the live repository, not a snapshot of it.`);
	}
	return {quickstart: real, release};
}
