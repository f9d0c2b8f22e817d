/**
 * Sums self time per function in a V8 .cpuprofile (from `node --cpu-prof`) and
 * prints the top N, so a profile can be read without DevTools.
 *
 *   tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]
 *
 * Self time is samples × the mean sample interval; "(idle)" is time the main
 * thread waited (on the libuv pool, the disk or a timer), "(program)" is V8 and
 * native code outside JavaScript, "(garbage collector)" is GC.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
	id: number;
	callFrame: {functionName: string; url: string; lineNumber: number};
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface SelfTime {
	name: string;
	where: string;
	ms: number;
	share: number;
}

export function summarize(profile: CpuProfile): {totalMs: number; rows: SelfTime[]} {
	const byId = new Map(profile.nodes.map(node => [node.id, node]));
	const totals = new Map<string, {name: string; where: string; us: number}>();
	for (const [index, id] of profile.samples.entries()) {
		const frame = byId.get(id)!.callFrame;
		const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
		const name = frame.functionName || '(anonymous)';
		const key = `${name} ${where}`;
		const row = totals.get(key) ?? {name, where, us: 0};
		row.us += profile.timeDeltas[index] ?? 0;
		totals.set(key, row);
	}
	const totalUs = profile.endTime - profile.startTime;
	const rows = [...totals.values()]
		.map(row => ({name: row.name, where: row.where, ms: row.us / 1000, share: row.us / totalUs}))
		.sort((a, b) => b.ms - a.ms);
	return {totalMs: totalUs / 1000, rows};
}

function main(argv: string[]): number {
	const file = argv.find(arg => !arg.startsWith('--'));
	const topIndex = argv.indexOf('--top');
	const top = topIndex >= 0 ? Number(argv[topIndex + 1]) : 25;
	if (!file) {
		process.stderr.write('Usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N]\n');
		return 2;
	}
	const {totalMs, rows} = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
	process.stdout.write(`${path.basename(file)}: ${(totalMs / 1000).toFixed(2)} s profiled\n`);
	for (const row of rows.slice(0, top)) {
		process.stdout.write(`${row.ms.toFixed(0).padStart(8)} ms ${(row.share * 100).toFixed(1).padStart(5)} %  ${row.name}  ${row.where}\n`);
	}
	return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) process.exitCode = main(process.argv.slice(2));
