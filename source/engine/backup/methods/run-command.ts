import {spawn} from 'node:child_process';
import {asUser, type RunAs} from './aem-user.js';

export interface CommandResult {
	ok: boolean;
	stdout: string;
	/** One sentence on failure. */
	reason?: string;
}

export interface CommandOptions {
	/** The child's whole environment (child-env.ts builds it): nothing else is inherited. */
	env: Record<string, string>;
	timeoutMs: number;
	what: string;
	/** Runs as this user (crx-backup runs as root): see aem-user.ts. */
	as?: RunAs;
	cwd?: string;
	/** Open files the child gets as fd 3, 4, …: it names them /proc/self/fd/3…, never by a path that could be swapped. */
	fds?: number[];
	/** A command the whole of it runs under (nsenter into a drill's network namespace), outside `as`. */
	prefix?: string[];
}

/**
 * Runs `file args` (or `sh -c command` when args is undefined) to the end and
 * keeps its stdout. One still running after `timeoutMs` is killed with its whole
 * process group. Never throws: the methods decide what a failure means.
 */
export function runCommand(file: string, args: string[] | undefined, options: CommandOptions): Promise<CommandResult> {
	return new Promise(resolve => {
		const inner = asUser(options.as, args ? file : 'sh', args ?? ['-c', file]);
		const command = options.prefix?.length ? {file: options.prefix[0]!, args: [...options.prefix.slice(1), inner.file, ...inner.args]} : inner;
		const child = spawn(command.file, command.args, {
			env: options.env, stdio: ['ignore', 'pipe', 'pipe', ...(options.fds ?? [])], detached: true, cwd: options.cwd,
		});
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			stdout = (stdout + chunk.toString()).slice(-64 * 1024);
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-500);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}
		}, options.timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			resolve({ok: false, stdout, reason: `The ${options.what} could not start: ${error.message}.`});
		});
		child.on('close', code => {
			clearTimeout(timer);
			const detail = stderr.trim().split('\n').pop();
			if (timedOut) resolve({ok: false, stdout, reason: `The ${options.what} did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped.`});
			else if (code === 0) resolve({ok: true, stdout});
			else resolve({ok: false, stdout, reason: `The ${options.what} failed with exit code ${code}${detail ? ` (${detail})` : ''}.`});
		});
	});
}
