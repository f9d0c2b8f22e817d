import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist', 'cli.js');

function newestSource(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
		const full = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
	}
	return newest;
}

/**
 * The real CLI: dist/cli.js when a build exists and is newer than every source
 * file, else cli.tsx through tsx (the build may fail while others are mid-edit).
 */
export function cliCommand(): string[] {
	const sources = Math.max(fs.statSync(path.join(root, 'cli.tsx')).mtimeMs, newestSource(path.join(root, 'source')));
	if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs > sources) return [dist];
	// Resolved here, not by name: `--import tsx` would be looked up from the child's cwd, a temp folder.
	return ['--import', import.meta.resolve('tsx'), path.join(root, 'cli.tsx')];
}

export interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs `crx-backup ...args` without a terminal (stdin is not a TTY). */
export function crxBackup(args: string[], options: {cwd?: string; input?: string} = {}): Promise<Run> {
	const child = spawn(process.execPath, [...cliCommand(), ...args], {
		cwd: options.cwd ?? root,
		env: {...process.env, NO_COLOR: '1'},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
	child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
	child.stdin.end(options.input ?? '');
	return new Promise(resolve => child.on('close', code => resolve({code, stdout, stderr})));
}
