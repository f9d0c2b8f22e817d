import {spawn} from 'node:child_process';
import {resticEnv} from '../platform/child-env.js';
import {cancelled, failure, usageError} from '../platform/errors.js';
import {maskResticRepo} from './repository.js';

/** restic's own ways to get the repository's password: crx-backup never takes one on its command line. */
const PASSWORD_VARIABLES = ['RESTIC_PASSWORD_FILE', 'RESTIC_PASSWORD_COMMAND', 'RESTIC_PASSWORD'];

export interface ResticCall {
	/** The restic repository (a path, sftp:, s3:, rclone: …): passed as RESTIC_REPOSITORY, never on argv (a URL may hold a secret). */
	repo: string;
	args: string[];
	cwd?: string;
	signal?: AbortSignal;
	/** Each JSON line restic prints on stdout (with --json), as it comes. */
	onJson?: (message: Record<string, unknown>) => void;
}

/** Refuses, before anything runs, a repository name that is empty or a call without restic's password variables. */
export function checkResticRepo(repo: string | undefined, flag = '--restic-repo'): string {
	if (repo === undefined || repo.trim() === '') throw usageError(`${flag} needs a restic repository (a folder, sftp:…, s3:…, rclone:…).`);
	if (!PASSWORD_VARIABLES.some(name => process.env[name])) {
		throw usageError('Set RESTIC_PASSWORD_FILE (or RESTIC_PASSWORD_COMMAND) for the restic repository: crx-backup never takes a password on its command line.');
	}
	return repo;
}

/**
 * Runs restic and returns its stdout. The password reaches restic only through
 * the environment variables it reads itself. A failure is one sentence with
 * restic's last line of stderr; an abort stops restic (SIGINT, as at a terminal)
 * and throws cancelled.
 */
export function runRestic(call: ResticCall): Promise<string> {
	return new Promise((resolve, reject) => {
		// The repository file, if the operator used one, has been read: restic refuses both variables at once.
		const env = resticEnv({RESTIC_REPOSITORY: call.repo});
		delete env.RESTIC_REPOSITORY_FILE;
		const child = spawn('restic', call.args, {cwd: call.cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let pending = '';
		let stderr = '';
		const onAbort = () => child.kill('SIGINT');
		call.signal?.addEventListener('abort', onAbort, {once: true});
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			if (!call.onJson) return;
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop()!;
			for (const line of lines) parseLine(line, call.onJson);
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr = (stderr + chunk).slice(-4000);
		});
		child.on('error', error => {
			call.signal?.removeEventListener('abort', onAbort);
			const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
			reject(missing ? failure('restic is not installed (or not on PATH): install it (Debian: apt-get install restic).') : failure(`restic could not be started: ${error.message}.`));
		});
		child.on('close', code => {
			call.signal?.removeEventListener('abort', onAbort);
			if (call.onJson && pending) parseLine(pending, call.onJson);
			if (call.signal?.aborted) return reject(cancelled());
			if (code === 0) return resolve(stdout);
			const last = stderr.trim().split('\n').filter(Boolean).pop() ?? `exit code ${code}`;
			reject(failure(`restic ${call.args[0]} failed: ${maskResticRepo(last).replace(/\.$/, '')}.`));
		});
	});
}

function parseLine(line: string, onJson: (message: Record<string, unknown>) => void): void {
	if (!line.startsWith('{')) return;
	try {
		onJson(JSON.parse(line) as Record<string, unknown>);
	} catch {
		// Not one of restic's JSON messages (a stray line): nothing to report.
	}
}
