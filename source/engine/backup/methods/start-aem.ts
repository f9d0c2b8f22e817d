import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {aemJvm, type AemJvm} from './aem-jvm.js';
import {asUser, type RunAs} from './aem-user.js';

export interface AemCommand {
	/** Run through `sh -c`. */
	command: string;
	/** Who runs it (aem-user.ts); unset: this process's user. */
	as?: RunAs;
	/** Run before the rest, as this process's user, which it then execs: a drill's `unshare --net …` (drill/isolation.ts). */
	prefix?: string[];
}

/**
 * Runs AEM's start command the way a service manager starts a daemon: in its
 * own session, its output to a temporary file rather than to a pipe we would
 * wait on, and never killed. AEM's bin/start runs `java … &` and returns; a
 * start command that keeps running, or leaves a child holding its output, is
 * fine as long as AEM comes up: what is watched is conf/cq.pid naming a new
 * java process in this install (aem-jvm.ts). Killing the command's process
 * group on a timeout would kill the AEM it just started. Returns a failure
 * sentence, or undefined once AEM runs.
 */
export async function startAem(start: AemCommand, quickstart: string, env: Record<string, string>, timeoutMs: number, previous: AemJvm | undefined): Promise<string | undefined> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crx-backup-start-'));
	const log = path.join(dir, 'output');
	const fd = fs.openSync(log, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
	try {
		let exit: number | null | undefined;
		let spawnError: string | undefined;
		const inner = asUser(start.as, 'sh', ['-c', start.command]);
		const command = start.prefix?.length ? {file: start.prefix[0]!, args: [...start.prefix.slice(1), inner.file, ...inner.args]} : inner;
		const child = spawn(command.file, command.args, {env, stdio: ['ignore', fd, fd], detached: true, cwd: path.dirname(quickstart)});
		child.on('error', error => (spawnError = error.message));
		child.on('exit', code => (exit = code));
		child.unref();
		const isNew = (jvm: AemJvm | undefined) => jvm !== undefined && (jvm.pid !== previous?.pid || jvm.startTicks !== previous.startTicks);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (spawnError) return `The start command could not start: ${spawnError}.`;
			if (isNew(aemJvm(quickstart))) return undefined;
			if (exit !== undefined && exit !== 0) {
				const detail = lastLine(log);
				return `The start command failed with exit code ${exit}${detail ? ` (${detail})` : ''}: AEM is down, start it by hand.`;
			}
			if (Date.now() >= deadline) {
				return `AEM did not come up within ${Math.round(timeoutMs / 1000)} s of the start command (conf/cq.pid names no java process in ${path.dirname(quickstart)}): check AEM, start it by hand if it is down.`;
			}
			await sleep(100);
		}
	} finally {
		fs.closeSync(fd);
		fs.rmSync(dir, {recursive: true, force: true});
	}
}

function lastLine(file: string): string | undefined {
	try {
		const text = fs.readFileSync(file, 'utf8').slice(-2000);
		return text.trim().split('\n').pop()?.slice(0, 300);
	} catch {
		return undefined;
	}
}
