import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {parseSize} from '../source/demo/size.js';
import {buildFixture, mutate, onePercent} from './fixture.js';
import {runMeasured, sh, type Cmd} from './measure.js';

/**
 * This build against an earlier build of crx-backup, on one fixture, interleaved: the check that a
 * change made nothing slower, which the pairs against cp, rsync, zip and unzip cannot show (their
 * ratio moves with the disk). Each build writes, re-syncs, links, verifies and restores its own
 * backups with its own state folder, so neither reads what the other wrote.
 */
const USAGE = 'Usage: npm run bench:ab -- --base OLD/dist/cli.js [--cli dist/cli.js] [--size 1GiB] [--files N (19,000 per GiB)] [--rounds 5] [--out bench/AB.md] [--work DIR (a tmpfs such as /dev/shm/crx-ab takes the disk out of the comparison)]';

const {values} = parseArgs({args: process.argv.slice(2).filter(arg => arg !== '--'), options: {
	base: {type: 'string'}, cli: {type: 'string', default: 'dist/cli.js'}, size: {type: 'string', default: '1GiB'},
	files: {type: 'string'}, rounds: {type: 'string', default: '5'}, out: {type: 'string', default: 'bench/AB.md'},
	work: {type: 'string', default: 'bench/work/ab'},
}});
const sizeBytes = parseSize(values.size!);
if (!values.base || sizeBytes === undefined) {
	process.stderr.write(`${USAGE}\n`);
	process.exit(2);
}
const builds = {base: path.resolve(values.base), this: path.resolve(values.cli)};
const rounds = Number(values.rounds);
const work = path.resolve(values.work!);
if (fs.existsSync(work) && fs.readdirSync(work).some(name => !['install', 'base', 'this'].includes(name))) {
	// It is removed at start and at the end: never a folder that holds anything but an earlier run of this script.
	process.stderr.write(`${work} holds files this benchmark did not write: name an empty or new folder.\n`);
	process.exit(2);
}
fs.rmSync(work, {recursive: true, force: true});
fs.mkdirSync(work, {recursive: true});
// The same fixture as `npm run bench`'s main one: about 19,000 files per GiB, as in a real datastore.
const files = values.files === undefined ? Math.round(19_000 * sizeBytes / 1024 ** 3) : Number(values.files);
const fixture = await buildFixture(path.join(work, 'install'), sizeBytes, files);
const out = (...parts: string[]) => path.join(work, ...parts);
type Build = keyof typeof builds;
const cmd = (build: Build, ...args: string[]): Cmd => ({
	label: build, argv: [process.execPath, '--max-semi-space-size=4', '--optimize-for-size', builds[build], ...args],
	env: {CRX_BACKUP_STATE_DIR: out(build, 'state')},
});
const clear = (...parts: string[]) => fs.rmSync(out(...parts), {recursive: true, force: true});
const install = fixture.install;

/** The second night sees 1 % of files changed since the first; 2.1 s later they are past the racy-file window. */
async function changeOnePercent(): Promise<void> {
	mutate(install, onePercent(fixture.paths));
	await new Promise(resolve => setTimeout(resolve, 2100));
}

interface Op {name: string; before?: () => Promise<void>; prepare?: (build: Build) => void; run: (build: Build) => Cmd}
const ops: Op[] = [
	{name: 'backup (dir)', prepare: build => clear(build, 'dir'), run: build => cmd(build, 'backup', '--repo', install, '--target', out(build, 'dir'), '--maintenance-window', 'none')},
	{name: 'backup (zip)', prepare: build => clear(build, 'n.zip'), run: build => cmd(build, 'backup', '--repo', install, '--target', out(build, 'n.zip'), '--maintenance-window', 'none')},
	{name: 're-sync, nothing changed', run: build => cmd(build, 'backup', '--repo', install, '--target', out(build, 'dir'), '--maintenance-window', 'none')},
	{name: 'second night, --link-dest, 1 % changed', before: changeOnePercent, prepare: build => clear(build, 'night2'), run: build => cmd(build, 'backup', '--repo', install, '--target', out(build, 'night2'), '--link-dest', out(build, 'dir'), '--maintenance-window', 'none')},
	{name: 'verify (zip)', run: build => cmd(build, 'verify', out(build, 'n.zip'))},
	{name: 'restore (zip)', prepare: build => clear(build, 'restored'), run: build => cmd(build, 'restore', out(build, 'n.zip'), '--to', out(build, 'restored'))},
];

const timings = new Map<string, Record<Build, number[]>>(ops.map(op => [op.name, {base: [], this: []}]));
const cpu = new Map<string, Record<Build, number[]>>(ops.map(op => [op.name, {base: [], this: []}]));
const peaks = new Map<string, Record<Build, number>>(ops.map(op => [op.name, {base: 0, this: 0}]));
for (const build of Object.keys(builds) as Build[]) fs.mkdirSync(out(build), {recursive: true});
for (let round = 0; round < rounds; round++) {
	for (const op of ops) {
		await op.before?.();
		const order: Build[] = round % 2 === 0 ? ['base', 'this'] : ['this', 'base'];
		for (const build of order) {
			op.prepare?.(build);
			// The previous run's dirty pages (and the rm just done) are written back now, not inside this run's time.
			sh('sync');
			const result = await runMeasured(op.run(build));
			if (result.code !== 0) throw new Error(`${build} ${op.name} exited ${result.code}: ${result.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
			timings.get(op.name)![build].push(result.ms);
			if (result.cpuMs !== undefined) cpu.get(op.name)![build].push(result.cpuMs);
			peaks.get(op.name)![build] = Math.max(peaks.get(op.name)![build], result.peakKiB ?? 0);
		}
	}
	process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
/** The median and, so a reader sees how far one build moves against itself, the fastest and slowest run. */
const cell = (list: number[]) => `${median(list).toFixed(0)} ms (${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)})`;
const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const lines = [
	`# This build against ${values.base}`, '',
	`${new Date().toISOString().slice(0, 16)} UTC, ${os.cpus().length} cores, load at the end ${load}; fixture ${values.size} + ${files} small files`,
	`(${fixture.paths.length.toLocaleString('en')} files), ${rounds} interleaved rounds, medians; \`npm run bench:ab -- --base ${values.base} --size ${values.size} --files ${files} --rounds ${rounds}${values.work === 'bench/work/ab' ? '' : ` --work ${values.work}`}\`.`, '',
	'`sync` before every timed run; CPU is user + system time (GNU time), which the disk\'s writeback does not move.', '',
	'| operation | earlier build | this build | ratio | CPU earlier / this | CPU ratio | peak RSS earlier / this |', '|---|---:|---:|---:|---:|---:|---:|',
	...ops.map(op => {
		const {base, this: now} = timings.get(op.name)!;
		const cpuOf = cpu.get(op.name)!;
		const cpuCells = cpuOf.base.length > 0 && cpuOf.this.length > 0
			? `${median(cpuOf.base)} / ${median(cpuOf.this)} ms | ${(median(cpuOf.this) / median(cpuOf.base)).toFixed(3)}×`
			: 'n/a | n/a';
		const peak = peaks.get(op.name)!;
		return `| ${op.name} | ${cell(base)} | ${cell(now)} | ${(median(now) / median(base)).toFixed(3)}× | ${cpuCells} | ${(peak.base / 1024).toFixed(0)} / ${(peak.this / 1024).toFixed(0)} MiB |`;
	}),
	'',
];
fs.writeFileSync(values.out!, lines.join('\n'));
process.stdout.write(lines.join('\n'));
fs.rmSync(work, {recursive: true, force: true});
