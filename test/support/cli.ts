import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(projectRoot, 'dist', 'cli.js');

export interface CliResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/** What a child wrote to stdout and stderr, and how it ended. */
export function collectOutput(child: ChildProcess): Promise<CliResult> {
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	return new Promise<CliResult>(resolve => {
		child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}));
	});
}

/** Runs the built CLI (npm test builds it first) as a real process, without a terminal. */
export function startCli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): {child: ChildProcess; done: Promise<CliResult>} {
	if (!fs.existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first`);
	const child = spawn(process.execPath, [cliPath, ...args], {cwd: options.cwd ?? projectRoot, env: {...process.env, NO_COLOR: '1', ...options.env}, stdio: ['ignore', 'pipe', 'pipe']});
	const done = collectOutput(child);
	return {child, done};
}

export async function runCli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
	return startCli(args, options).done;
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
	const started = Date.now();
	while (!predicate()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}
