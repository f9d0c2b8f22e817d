import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One process to time. `label` names it in the RSS columns (a side may run several, e.g. cp then zip). */
export interface Cmd {
	label: string;
	argv: string[];
	cwd?: string;
	env?: Record<string, string>;
}

export interface CmdResult {
	ms: number;
	/** Peak resident set size in KiB, or undefined when it could not be measured. */
	peakKiB?: number;
	/** User plus system CPU time in ms (GNU time only): unlike wall time, the disk's writeback does not move it. */
	cpuMs?: number;
	/**
	 * What the process (and the children it waited for) read from the block device, in KiB (GNU time's %I,
	 * ru_inblock, 512-byte units; GNU time only). File-system metadata counts too: a walk whose inodes and
	 * folders fell out of the cache shows here, where wall time alone cannot say why it grew.
	 */
	readKiB?: number;
	code: number;
	stderrTail: string;
}

const gnuTime = '/usr/bin/time';
const hasGnuTime = fs.existsSync(gnuTime) && spawnSync(gnuTime, ['-f', '%M', 'true'], {stdio: 'ignore'}).status === 0;

/** How peak RSS is measured on this machine; printed in the header so a reader knows how exact it is. */
export const rssMethod = hasGnuTime
	? 'GNU time (%M, the kernel\'s ru_maxrss of the process)'
	: 'polling /proc/PID/status VmHWM every 20 ms (install `time` for exact figures: apt-get install -y time)';

export function toolPath(name: string): string | undefined {
	const result = spawnSync('sh', ['-c', `command -v ${name}`], {encoding: 'utf8'});
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Runs one command and measures its wall time and peak RSS. Wall time is taken
 * around the spawn (GNU time's own fork adds about a millisecond). stdout is
 * discarded; the last 8 KiB of stderr is kept to explain a failure.
 */
export async function runMeasured(cmd: Cmd): Promise<CmdResult> {
	const rssFile = path.join(os.tmpdir(), `crx-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
	const argv = hasGnuTime ? [gnuTime, '-f', '%M %U %S %I', '-o', rssFile, ...cmd.argv] : cmd.argv;
	const started = process.hrtime.bigint();
	const child = spawn(argv[0]!, argv.slice(1), {cwd: cmd.cwd, env: {...process.env, ...cmd.env}, stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8');
	child.stderr.on('data', (chunk: string) => {
		stderr = (stderr + chunk).slice(-8192);
	});
	let polledKiB: number | undefined;
	const poll = hasGnuTime ? undefined : setInterval(() => {
		polledKiB = Math.max(polledKiB ?? 0, vmHwmKiB(child.pid) ?? 0) || polledKiB;
	}, 20);
	const code = await new Promise<number>(resolve => {
		child.on('error', error => {
			stderr += `\n${error.message}`;
			resolve(127);
		});
		child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
	});
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	if (poll) clearInterval(poll);
	let peakKiB = polledKiB;
	let cpuMs: number | undefined;
	let readKiB: number | undefined;
	if (hasGnuTime) {
		try {
			// GNU time writes "Command exited with non-zero status N" before the figures on failure: take the last line.
			const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
			const [rss, user, system, inblock] = (lines.at(-1) ?? '').split(' ').map(Number);
			peakKiB = rss || undefined;
			cpuMs = user === undefined || system === undefined || Number.isNaN(user + system) ? undefined : Math.round((user + system) * 1000);
			readKiB = inblock === undefined || Number.isNaN(inblock) ? undefined : inblock / 2;
		} catch {}
		fs.rmSync(rssFile, {force: true});
	}
	return {ms, peakKiB, cpuMs, readKiB, code, stderrTail: stderr};
}

function vmHwmKiB(pid: number | undefined): number | undefined {
	if (!pid) return undefined;
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Untimed housekeeping (rm, sync, mkdir); throws with stderr on failure. */
export function sh(script: string, cwd?: string): void {
	const result = spawnSync('sh', ['-c', script], {cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']});
	if (result.status !== 0) throw new Error(`"${script}" failed (${result.status}): ${result.stderr.trim()}`);
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
