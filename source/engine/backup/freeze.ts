import {spawn} from 'node:child_process';

export interface HookResult {
	ok: boolean;
	/** One sentence on failure. */
	reason?: string;
}

/**
 * Runs a freeze or thaw command through `sh -c` with CRX_BACKUP_REPO and
 * CRX_BACKUP_TARGET in its environment. One still running after `timeoutMs` is
 * killed with its whole process group (a hung `curl` under a shell, say).
 */
export async function runHook(command: string, env: {repo: string; target: string; extra?: Record<string, string>}, timeoutMs: number, what: 'freeze' | 'thaw' | '--on-success' | '--on-failure'): Promise<HookResult> {
	return new Promise(resolve => {
		const child = spawn('sh', ['-c', command], {
			env: {...process.env, CRX_BACKUP_REPO: env.repo, CRX_BACKUP_TARGET: env.target, ...env.extra},
			stdio: ['ignore', 'ignore', 'pipe'],
			detached: true,
		});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-500);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			try {
				process.kill(-child.pid!, 'SIGKILL');
			} catch {}
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			resolve({ok: false, reason: `The ${what} command could not start: ${error.message}.`});
		});
		child.on('close', code => {
			clearTimeout(timer);
			if (timedOut) resolve({ok: false, reason: `The ${what} command did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`});
			else if (code === 0) resolve({ok: true});
			else {
				const detail = stderr.trim().split('\n').pop();
				resolve({ok: false, reason: `The ${what} command failed with exit code ${code}${detail ? ` (${detail})` : ''}.`});
			}
		});
	});
}
