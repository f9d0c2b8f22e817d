/**
 * Writes blocked vs repository size: how long each way of backing up
 * a live repository keeps its writes blocked, and how long it takes in all, at
 * datastore-shaped sizes (N small files):
 *
 *   online    crx-backup's four stages; the window is stage 4 (--freeze-cmd true)
 *   snapshot  crx-backup --method snapshot on btrfs; the window is freeze → snapshot → thaw
 *   rsync     the peer an operator scripts by hand: rsync -a hot, freeze, rsync -a again, thaw;
 *             the window is the second rsync
 *
 *   npm run bench:blocked -- [--files 20000,200000,1000000] [--smoke | --report]
 *
 * Root only (a btrfs loop file system per size, removed afterwards). Writes
 * bench/writes-blocked.json and bench/WRITES-BLOCKED.md (which RESULTS.md includes).
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {generateRepository} from '../source/demo/generate.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const defaultSizes = [20_000, 200_000, 1_000_000];
const sh = (file: string, args: string[]) => execFileSync(file, args, {stdio: ['ignore', 'pipe', 'pipe']}).toString();

export interface BlockedRow {
	files: number;
	method: 'online' | 'snapshot' | 'rsync';
	writesBlockedMs: number;
	totalMs: number;
	/** Peak resident set size of the crx-backup process in MiB (GNU time's %M), when measured. */
	peakMiB?: number;
}

const gnuTime = '/usr/bin/time';
const hasGnuTime = fs.existsSync(gnuTime);

/** One size: a btrfs loop file system holding the install in a subvolume, the three ways, then all of it removed. */
async function measureSize(files: number, work: string, cli: string, log: (line: string) => void): Promise<BlockedRow[]> {
	const root = path.join(work, `n${files}`);
	const mount = path.join(root, 'mnt');
	fs.mkdirSync(mount, {recursive: true});
	const image = path.join(root, 'btrfs.img');
	fs.writeFileSync(image, '');
	fs.truncateSync(image, Math.max(1024 ** 3, files * 12 * 1024)); // Sparse: metadata for the small files, with room.
	sh('mkfs.btrfs', ['-q', image]);
	sh('mount', ['-o', 'loop', image, mount]);
	try {
		const install = path.join(mount, 'aem');
		sh('btrfs', ['subvolume', 'create', install]);
		const started = Date.now();
		const generated = await generateRepository(install, {sizeBytes: 16 * 1024 ** 2, seed: 1, smallFiles: files});
		log(`  ${files.toLocaleString('en-US')} small files: ${generated.files.toLocaleString('en-US')} files in all, generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		sh('sh', ['-c', `find "${install}" -type f -exec cat {} + >/dev/null`]); // Warm cache, as in the other pairs.
		const env = {...process.env, CRX_BACKUP_STATE_DIR: path.join(root, 'state')};
		const rows: BlockedRow[] = [];
		for (const method of ['online', 'snapshot'] as const) {
			const target = path.join(root, `t-${method}`);
			const rssFile = path.join(root, `rss-${method}`);
			const argv = [process.execPath, cli, 'backup', '--repo', install, '--target', target, '--method', method, '--freeze-cmd', 'true', '--thaw-cmd', 'true', '--json'];
			const timed = hasGnuTime ? [gnuTime, '-f', '%M', '-o', rssFile, ...argv] : argv;
			const run = spawnSync(timed[0]!, timed.slice(1), {encoding: 'utf8', env, maxBuffer: 1 << 26});
			if (run.status !== 0) throw new Error(`${method} backup failed: ${run.stderr.trim().split('\n').pop()}`);
			const summary = JSON.parse(run.stdout) as {writesBlockedMs: number; durationMs: number};
			const peakKiB = hasGnuTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : NaN;
			rows.push({files, method, writesBlockedMs: summary.writesBlockedMs, totalMs: summary.durationMs, ...(Number.isFinite(peakKiB) ? {peakMiB: Math.round(peakKiB / 1024)} : {})});
			fs.rmSync(target, {recursive: true, force: true});
		}
		const target = path.join(root, 't-rsync');
		const source = path.join(install, 'crx-quickstart/');
		const t0 = Date.now();
		sh('rsync', ['-a', '--delete', '--exclude', '/repository/index', '--exclude', '/repository/cache', source, target]);
		const t1 = Date.now();
		sh('true', []); // The freeze.
		sh('rsync', ['-a', '--delete', '--exclude', '/repository/index', '--exclude', '/repository/cache', source, target]);
		const t2 = Date.now();
		rows.push({files, method: 'rsync', writesBlockedMs: t2 - t1, totalMs: t2 - t0});
		for (const row of rows) log(`  ${row.method.padEnd(8)} writes blocked ${String(row.writesBlockedMs).padStart(7)} ms, total ${String(row.totalMs).padStart(8)} ms${row.peakMiB === undefined ? '' : `, peak RSS ${row.peakMiB} MiB`}`);
		return rows;
	} finally {
		try {
			sh('umount', ['-l', mount]);
		} catch {}
		fs.rmSync(root, {recursive: true, force: true});
	}
}

/** Runs the sizes; without `write` (the smoke run) only prints. */
export async function runWritesBlocked(options: {files: number[]; cli: string; work: string; write: boolean; log: (line: string) => void}): Promise<number> {
	const {log} = options;
	if (process.getuid?.() !== 0) {
		log('⚠ writes-blocked skipped: it needs root (a btrfs loop file system).');
		return 0;
	}
	log('▶ Writes blocked vs repository size (online stage 4, btrfs snapshot, rsync twice)');
	for (const files of options.files) {
		const rows = await measureSize(files, options.work, path.resolve(options.cli), log);
		if (options.write) save(rows, log); // After each size: a long run stopped midway keeps what it measured.
	}
	return 0;
}

function save(rows: BlockedRow[], log: (line: string) => void): void {
	const file = path.join(benchDir, 'writes-blocked.json');
	const previous: BlockedRow[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as {rows: BlockedRow[]}).rows : [];
	const merged = [...previous.filter(row => row.files !== rows[0]?.files), ...rows].sort((a, b) => a.files - b.files);
	const load = os.loadavg().map(value => value.toFixed(1)).join(' / ');
	fs.writeFileSync(file, `${JSON.stringify({date: new Date().toISOString(), cores: os.cpus().length, loadAverage: load, rows: merged}, null, '\t')}\n`);
	fs.writeFileSync(path.join(benchDir, 'WRITES-BLOCKED.md'), markdown(merged, load));
	log(`Wrote bench/writes-blocked.json and bench/WRITES-BLOCKED.md`);
}

/** One line per size whose crx-backup runs had their peak RSS measured (the 150 MiB budget holds at every size). */
function peaks(rows: BlockedRow[]): string[] {
	const measured = rows.filter(row => row.peakMiB !== undefined);
	if (measured.length === 0) return [];
	const sizes = [...new Set(measured.map(row => row.files))];
	return ['Peak RSS of the crx-backup process (GNU time): ' + sizes.map(files => `${files.toLocaleString('en-US')} files: ${measured.filter(row => row.files === files).map(row => `${row.method} ${row.peakMiB} MiB`).join(', ')}`).join('; ') + '.', ''];
}

function markdown(rows: BlockedRow[], load: string): string {
	// The issue's three sizes always get a row: one not measured yet says so.
	const sizes = [...new Set([...defaultSizes, ...rows.map(row => row.files)])].sort((a, b) => a - b);
	const cell = (files: number, method: BlockedRow['method'], key: 'writesBlockedMs' | 'totalMs') => {
		const row = rows.find(r => r.files === files && r.method === method);
		return row ? `${(row[key] / 1000).toFixed(3)} s` : 'not run';
	};
	return [
		'## Writes blocked vs repository size', '',
		`\`npm run bench:blocked\`, one round per size on a btrfs loop file system, warm cache, ${os.cpus().length} cores, load average ${load} (1/5/15 min) at the end of the last run.`,
		'Small files: datastore-shaped records on top of a 16 MiB repository. The freeze and thaw are `true`, so the window is what each method itself costs.', '',
		'| files | online: blocked | snapshot: blocked | rsync peer: blocked (2nd pass) | online: total | snapshot: total | rsync peer: total |',
		'| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
		...sizes.map(files => `| ${files.toLocaleString('en-US')} | ${cell(files, 'online', 'writesBlockedMs')} | ${cell(files, 'snapshot', 'writesBlockedMs')} | ${cell(files, 'rsync', 'writesBlockedMs')} | ${cell(files, 'online', 'totalMs')} | ${cell(files, 'snapshot', 'totalMs')} | ${cell(files, 'rsync', 'totalMs')} |`),
		'', ...peaks(rows), 'Goals:', '',
		...sizes.map(files => {
			const get = (method: BlockedRow['method']) => rows.find(r => r.files === files && r.method === method);
			const [online, snapshot, rsync] = [get('online'), get('snapshot'), get('rsync')];
			const goal = (ok: boolean | undefined) => (ok === undefined ? 'not run yet' : ok ? '✔ met' : '✖ missed');
			return `- ${files.toLocaleString('en-US')} files: online window ≤ rsync's second pass: ${goal(online && rsync ? online.writesBlockedMs <= rsync.writesBlockedMs : undefined)}` +
				`; snapshot window ≤ 1 s: ${goal(snapshot ? snapshot.writesBlockedMs <= 1000 : undefined)}${files === 1_000_000 ? ' (the goal is set at this size)' : ''}`;
		}),
		'- Offline downtime with a snapshot ≤ stop + start + 1 s: `npm run bench:offline` (its own table, below).',
		'',
	].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {files: {type: 'string'}, smoke: {type: 'boolean', default: false}, report: {type: 'boolean', default: false}, cli: {type: 'string', default: 'dist/cli.js'}}});
	if (values.report) { // Rewrite WRITES-BLOCKED.md from writes-blocked.json, running nothing.
		const saved = JSON.parse(fs.readFileSync(path.join(benchDir, 'writes-blocked.json'), 'utf8')) as {rows: BlockedRow[]; loadAverage: string};
		fs.writeFileSync(path.join(benchDir, 'WRITES-BLOCKED.md'), markdown(saved.rows, saved.loadAverage));
		process.exit(0);
	}
	const files = values.smoke ? [200] : (values.files?.split(',').map(Number) ?? defaultSizes);
	const work = path.join(benchDir, 'work', 'blocked');
	fs.mkdirSync(work, {recursive: true});
	// A copy of the build taken now: a rebuild during a long run must not swap modules under it (as run.ts does).
	const cli = path.join(work, 'dist', path.basename(values.cli!));
	fs.cpSync(path.dirname(path.resolve(values.cli!)), path.dirname(cli), {recursive: true});
	try {
		process.exitCode = await runWritesBlocked({files, cli, work, write: !values.smoke, log: line => process.stdout.write(`${line}\n`)});
	} finally {
		fs.rmSync(work, {recursive: true, force: true});
	}
}
