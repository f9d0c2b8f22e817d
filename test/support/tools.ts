import {spawnSync} from 'node:child_process';
import {expect} from 'vitest';

/** Runs another tool (unzip, jar, python3) and returns what it said; never throws. */
export function run(command: string, args: string[], cwd: string): {status: number | null; stdout: string; stderr: string} {
	const result = spawnSync(command, args, {cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** Runs a Python script that must succeed quietly; returns its stdout. */
export function python(cwd: string, script: string, ...args: string[]): string {
	const result = run('python3', ['-c', script, ...args], cwd);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	return result.stdout;
}
