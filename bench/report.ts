import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type {PairResult, SideResult} from './pair.js';

export const MEMORY_LIMIT_MIB = 150;

export interface Header {
	machine: {cpu: string; cores: number; memoryBytes: number; node: string; os: string; loadAverage?: number[]};
	date: string;
	size: {requestedBytes: number; files: number; bytes: number};
	smallFiles?: {files: number; bytes: number};
	rounds: number;
	rssMethod: string;
	notes: string[];
}

export interface Row {
	pair: string;
	oursMs?: number;
	theirsMs?: number;
	ratio?: number;
	target: string;
	/** The ratio goal, when the target is one. */
	goal?: number;
	met?: boolean;
	oursPeakMiB?: number;
	theirsPeakMiB?: number;
	/** Medians, GNU time only: CPU (user + system) and what was read from the disk, which wall time on a noisy disk cannot separate. */
	oursCpuMs?: number;
	theirsCpuMs?: number;
	oursReadMiB?: number;
	theirsReadMiB?: number;
	status: PairResult['status'];
	note?: string;
}

export function machine(): Header['machine'] {
	return {cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryBytes: os.totalmem(), node: process.version, os: `${os.type()} ${os.release()}`, loadAverage: os.loadavg()};
}

const mib = (kib?: number) => (kib === undefined ? undefined : kib / 1024);

/** One row per (ours, theirs) comparison; a pair with two reference commands gives two rows. */
export function rowsOf(result: PairResult): Row[] {
	const theirs: Array<SideResult | undefined> = result.theirs.length > 0 ? result.theirs : [undefined];
	return theirs.map(side => {
		const ours = result.ours;
		const ratio = ours && side ? ours.medianMs / side.medianMs : undefined;
		const oursPeakMiB = mib(ours?.peakKiB);
		const target = 'ratio' in result.target ? `≤ ${result.target.ratio.toFixed(2)}×` : `≤ ${result.target.rssMiB} MiB`;
		const met = result.status !== 'ok' ? undefined
			: 'ratio' in result.target ? ratio !== undefined && ratio <= result.target.ratio
				: oursPeakMiB !== undefined && oursPeakMiB <= result.target.rssMiB;
		return {
			pair: `${side ? `${result.title} vs ${side.label}` : result.title}${ours ? ` (${ours.samplesMs.length} runs)` : ''}`,
			oursMs: ours?.medianMs, theirsMs: side?.medianMs, ratio, target, goal: 'ratio' in result.target ? result.target.ratio : undefined, met, oursPeakMiB, theirsPeakMiB: mib(side?.peakKiB),
			oursCpuMs: ours?.medianCpuMs, theirsCpuMs: side?.medianCpuMs, oursReadMiB: mib(ours?.medianReadKiB), theirsReadMiB: mib(side?.medianReadKiB),
			status: result.status, note: result.status === 'ok' ? result.note : result.error ?? result.note,
		};
	});
}

const seconds = (ms?: number) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`);
// Three decimals where two would round a miss onto its goal (0.804× is not ≤ 0.80×).
const ratioText = (ratio?: number, goal?: number) => (ratio === undefined ? '–' : `${ratio.toFixed(goal !== undefined && ratio > goal && ratio.toFixed(2) === goal.toFixed(2) ? 3 : 2)}×`);
const memText = (value?: number, limit = false) => (value === undefined ? '?' : `${value.toFixed(0)} MiB${limit && value > MEMORY_LIMIT_MIB ? ' ✖' : ''}`);
const both = (ours: number | undefined, theirs: number | undefined, text: (value: number) => string, unit: string) =>
	(ours === undefined && theirs === undefined ? '–' : `${ours === undefined ? '?' : text(ours)} / ${theirs === undefined ? '?' : text(theirs)} ${unit}`);
const metText = (row: Row) => (row.status === 'skipped' ? 'skipped' : row.status === 'failed' ? '✖ failed' : row.met ? '✔' : '✖');

function cells(row: Row): string[] {
	return [
		row.pair, seconds(row.oursMs), seconds(row.theirsMs), ratioText(row.ratio, row.goal), row.target, metText(row), memText(row.oursPeakMiB, true), memText(row.theirsPeakMiB),
		both(row.oursCpuMs, row.theirsCpuMs, ms => (ms / 1000).toFixed(1), 's'), both(row.oursReadMiB, row.theirsReadMiB, value => value.toFixed(0), 'MiB'),
	];
}

const COLUMNS = ['pair', 'ours median', 'theirs median', 'ratio', 'target', 'met', 'ours peak RSS', 'theirs peak RSS', 'CPU ours / theirs', 'read from disk ours / theirs'];

export function printTable(rows: Row[], write: (line: string) => void): void {
	const table = [COLUMNS, ...rows.map(cells)];
	const widths = COLUMNS.map((_c, index) => Math.max(...table.map(line => line[index]!.length)));
	for (const [index, line] of table.entries()) {
		write(line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
		if (index === 0) write(widths.map(width => '─'.repeat(width)).join('  '));
	}
	for (const row of rows.filter(row => row.status !== 'ok')) write(`${row.status === 'failed' ? '✖' : '⚠'} ${row.pair}: ${row.note ?? ''}`);
}

export function writeMarkdown(file: string, header: Header, rows: Row[]): void {
	const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
	const lines = [
		'# crx-backup benchmark results', '',
		`- Date: ${header.date}`,
		`- Machine: ${header.machine.cpu}, ${header.machine.cores} cores, ${gib(header.machine.memoryBytes)} RAM, ${header.machine.os}, Node ${header.machine.node}${header.machine.loadAverage ? `; load average ${header.machine.loadAverage.map(load => load.toFixed(1)).join(' / ')} (1/5/15 min, the benchmark's own processes included) when the run ended${Math.max(...header.machine.loadAverage) > header.machine.cores ? ': above the core count, timings are noisy' : ''}` : ''}`,
		`- Fixture: ${gib(header.size.bytes)} in ${header.size.files.toLocaleString('en-US')} files (asked for ${gib(header.size.requestedBytes)}), warm cache`,
		...(header.smallFiles ? [`- Small-file tree: ${header.smallFiles.files.toLocaleString('en-US')} files, ${(header.smallFiles.bytes / 1024 ** 2).toFixed(0)} MiB`] : []),
		`- Rounds: ${header.rounds} in the last invocation (each row gives its own count), interleaved (ours, theirs, ours, theirs …); medians of wall time; \`sync\` before every run`,
		`- Peak RSS: ${header.rssMethod}; the limit for our commands is ${MEMORY_LIMIT_MIB} MiB (✖ marks a breach)`,
		'- CPU (user + system) and what was read from the disk (GNU time\'s %I: data and file-system metadata that were not in the cache) are medians too, for rows measured since they were recorded; `–` for older rows',
		'',
		`| ${COLUMNS.join(' | ')} |`,
		`|${COLUMNS.map((_c, index) => (index === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
		...rows.map(row => `| ${cells(row).join(' | ')} |`),
		'', '## Notes', '',
		...header.notes.map(note => `- ${note}`),
		...rows.filter(row => row.note).map(row => `- **${row.pair}**: ${row.note!.replaceAll('\n', ' ').slice(0, 600)}`),
		'',
	];
	// The analysis is written by hand (profiles, what each miss would take) and kept across runs.
	const blocked = path.join(path.dirname(file), 'WRITES-BLOCKED.md'); // npm run bench:blocked's table.
	if (fs.existsSync(blocked)) lines.push(fs.readFileSync(blocked, 'utf8'));
	const offline = path.join(path.dirname(file), 'OFFLINE-DOWNTIME.md'); // npm run bench:offline's table.
	if (fs.existsSync(offline)) lines.push(fs.readFileSync(offline, 'utf8'));
	const analysis = path.join(path.dirname(file), 'ANALYSIS.md');
	if (fs.existsSync(analysis)) lines.push(fs.readFileSync(analysis, 'utf8'));
	fs.writeFileSync(file, lines.join('\n'));
}

/** results.json; with --only, pairs not re-run this time are kept from the previous file. */
/**
 * Writes results.json; with `merge` (an --only run) the other pairs' rows stay, and so do the sizes of a
 * fixture this run did not build. Returns the header written, for RESULTS.md.
 */
export function writeJson(file: string, header: Header, results: PairResult[], merge: boolean): Header {
	let pairs = results;
	let written = header;
	if (merge && fs.existsSync(file)) {
		const previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Header> & {pairs?: PairResult[]};
		const fresh = new Set(results.map(result => result.name));
		pairs = [...(previous.pairs ?? []).filter(pair => !fresh.has(pair.name)), ...results];
		written = {...header, size: header.size.files > 0 ? header.size : previous.size ?? header.size, smallFiles: header.smallFiles ?? previous.smallFiles};
	}
	fs.writeFileSync(file, JSON.stringify({...written, pairs, rows: pairs.flatMap(rowsOf)}, null, 2) + '\n');
	return written;
}

export function readPairs(file: string): PairResult[] {
	return (JSON.parse(fs.readFileSync(file, 'utf8')) as {pairs: PairResult[]}).pairs;
}
