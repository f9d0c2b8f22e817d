import fs from 'node:fs';
import {median, runMeasured, sh, toolPath, type Cmd} from './measure.js';

/** What a pair must meet: ours ÷ theirs at most `ratio`, or our peak RSS at most `rssMiB`. */
export type Target = {ratio: number} | {rssMiB: number};

/** One run of one side: wall time, the peak RSS of each process it ran (KiB), and (GNU time only) CPU time and disk reads summed over them. */
export interface SideSample {
	ms: number;
	peakKiB: Record<string, number | undefined>;
	cpuMs?: number;
	readKiB?: number;
}

export interface Side {
	label: string;
	/** Untimed, before each run of this side (clear the target). */
	prepare?: (round: number) => void;
	/** Run one after another; the side's time is their sum. */
	commands?: (round: number) => Cmd[];
	/** Instead of commands: a custom timed run (the TUI). */
	run?: (round: number) => Promise<SideSample>;
	/** Paths that must exist after a run. */
	outputs?: (round: number) => string[];
}

export interface PairSpec {
	name: string;
	title: string;
	target: Target;
	/** External tools the pair needs; a missing one skips the pair with a note. */
	needs: string[];
	rounds: number;
	/** Untimed, once; throw SkipPair to skip with a note. */
	setup?: () => Promise<void> | void;
	/** Untimed, before each round (both sides see the same change). */
	beforeRound?: (round: number) => Promise<void> | void;
	/** Untimed, once after the pair, whatever happened (frees the disk a million-file pair filled). */
	teardown?: () => void;
	ours: Side;
	theirs: Side[];
	note?: string;
}

export interface SideResult {
	label: string;
	samplesMs: number[];
	medianMs: number;
	/** Highest peak over all runs and all processes of the side (KiB). */
	peakKiB?: number;
	peakKiBByProcess: Record<string, number>;
	/** Medians of user + system CPU and of KiB read from the disk (cache misses); undefined when a run could not measure them. */
	medianCpuMs?: number;
	medianReadKiB?: number;
}

export interface PairResult {
	name: string;
	title: string;
	target: Target;
	status: 'ok' | 'skipped' | 'failed';
	note?: string;
	error?: string;
	ours?: SideResult;
	theirs: SideResult[];
}

export class SkipPair extends Error {}

/** Raised when a command exits non-zero or leaves no output: the pair stops and shows why. */
export class CommandFailed extends Error {}

/**
 * Runs a pair interleaved: per round, ours then each of theirs (A B A B …), with
 * `sync` before every timed run so one side's dirty pages are not flushed on the
 * other side's clock.
 */
export async function runPair(spec: PairSpec, log: (line: string) => void): Promise<PairResult> {
	const base = {name: spec.name, title: spec.title, target: spec.target, note: spec.note, theirs: [] as SideResult[]};
	const missing = spec.needs.filter(tool => !toolPath(tool));
	if (missing.length > 0) return {...base, status: 'skipped', note: `skipped: ${missing.join(', ')} not installed (the benchmark installs nothing)`};
	const sides = [spec.ours, ...spec.theirs];
	const samples: SideSample[][] = sides.map(() => []);
	try {
		await spec.setup?.();
		for (let round = 0; round < spec.rounds; round++) {
			await spec.beforeRound?.(round);
			for (const [index, side] of sides.entries()) {
				side.prepare?.(round);
				sh('sync');
				const sample = await runSide(side, round);
				samples[index]!.push(sample);
				log(`  ${spec.name} round ${round + 1}/${spec.rounds}  ${side.label.padEnd(34)} ${(sample.ms / 1000).toFixed(2).padStart(8)} s  ${formatPeaks(sample)}`);
			}
		}
	} catch (error) {
		if (error instanceof SkipPair) return {...base, status: 'skipped', note: `skipped: ${error.message}`};
		const message = error instanceof CommandFailed ? error.message : (error as Error).stack ?? String(error);
		return {...base, status: 'failed', error: message, ...summarizeSides(sides, samples)};
	} finally {
		spec.teardown?.();
	}
	return {...base, status: 'ok', ...summarizeSides(sides, samples)};
}

async function runSide(side: Side, round: number): Promise<SideSample> {
	let sample: SideSample;
	if (side.run) {
		sample = await side.run(round);
	} else {
		sample = {ms: 0, peakKiB: {}};
		const cpu: Array<number | undefined> = [];
		const read: Array<number | undefined> = [];
		for (const cmd of side.commands!(round)) {
			const result = await runMeasured(cmd);
			if (result.code !== 0) throw new CommandFailed(`${cmd.label} exited ${result.code}: ${cmd.argv.join(' ')}\n${result.stderrTail.trim()}`);
			sample.ms += result.ms;
			sample.peakKiB[cmd.label] = result.peakKiB;
			cpu.push(result.cpuMs);
			read.push(result.readKiB);
		}
		sample.cpuMs = ifAll(cpu, sum);
		sample.readKiB = ifAll(read, sum);
	}
	for (const output of side.outputs?.(round) ?? []) {
		if (!fs.existsSync(output)) throw new CommandFailed(`${side.label} exited 0 but left no ${output}`);
	}
	return sample;
}

function summarizeSides(sides: Side[], samples: SideSample[][]): {ours?: SideResult; theirs: SideResult[]} {
	const results = sides.map((side, index): SideResult | undefined => {
		const runs = samples[index]!;
		if (runs.length === 0) return undefined;
		const peakKiBByProcess: Record<string, number> = {};
		for (const run of runs) {
			for (const [label, kib] of Object.entries(run.peakKiB)) if (kib !== undefined) peakKiBByProcess[label] = Math.max(peakKiBByProcess[label] ?? 0, kib);
		}
		const peaks = Object.values(peakKiBByProcess);
		return {
			label: side.label, samplesMs: runs.map(run => run.ms), medianMs: median(runs.map(run => run.ms)), peakKiB: peaks.length ? Math.max(...peaks) : undefined, peakKiBByProcess,
			medianCpuMs: ifAll(runs.map(run => run.cpuMs), median), medianReadKiB: ifAll(runs.map(run => run.readKiB), median),
		};
	});
	return {ours: results[0], theirs: results.slice(1).filter((result): result is SideResult => result !== undefined)};
}

/** A figure over commands or runs (a sum, a median); one that could not be measured makes it unknown. */
function ifAll(values: Array<number | undefined>, combine: (known: number[]) => number): number | undefined {
	return values.every(value => value !== undefined) ? combine(values as number[]) : undefined;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function formatPeaks(sample: SideSample): string {
	const peaks = Object.entries(sample.peakKiB).map(([label, kib]) => `${label} ${kib === undefined ? '?' : (kib / 1024).toFixed(0)} MiB`).join(', ');
	const cpu = sample.cpuMs === undefined ? '' : `  cpu ${(sample.cpuMs / 1000).toFixed(2)} s`;
	const read = sample.readKiB === undefined ? '' : `  read ${(sample.readKiB / 1024).toFixed(0)} MiB`;
	return peaks + cpu + read;
}
