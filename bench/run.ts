/**
 * crx-backup against the standard tools. See bench/README.md.
 *
 *   npm run bench -- [--size 1GiB] [--rounds 3] [--small-files 1000000] [--only a,b] [--quick | --smoke]
 *
 * Builds fixtures with the project's generator in bench/work/run (removed
 * afterwards unless --keep), runs each pair interleaved, prints a table and,
 * except with --smoke, writes bench/results.json and bench/RESULTS.md.
 * Exits 1 when any pair failed (a command exited non-zero or left no output).
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseBenchArgs, USAGE, type BenchOptions} from './args.js';
import {buildFixture, type Fixture} from './fixture.js';
import {rssMethod} from './measure.js';
import {runPair, type PairResult, type PairSpec} from './pair.js';
import {definePairs, shebangFlags} from './pairs.js';
import {DATASTORE_PAIRS, datastorePairs} from './datastore-pairs.js';
import {runWritesBlocked} from './writes-blocked.js';
import {runDrillPhases} from './drill-phases.js';
import {machine, printTable, rowsOf, writeJson, writeMarkdown, type Header} from './report.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['dir-backup', 'resync-unchanged', 'zip-backup', 'restore', 'verify', 'tui', 'resync-changed', 'link-dest', 'small-dir', 'small-zip', 'small-verify', 'small-restore', 'small-dir-verify', 'small-dir-restore', 'small-resync', ...DATASTORE_PAIRS, 'writes-blocked', 'drill-phases'];
const SMALL = new Set(['small-dir', 'small-zip', 'small-verify', 'small-restore', 'small-dir-verify', 'small-dir-restore', 'small-resync']);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(options: BenchOptions): Promise<number> {
	if (options.report) return report();
	const built = path.resolve(options.cli);
	if (!fs.existsSync(built)) {
		process.stderr.write(`${built} does not exist: run npm run build first (or pass --cli).\n`);
		return 2;
	}
	const unknown = (options.only ?? []).filter(name => !ALL.includes(name));
	if (unknown.length > 0) {
		process.stderr.write(`Unknown pair ${unknown.join(', ')}; the pairs are: ${ALL.join(', ')}.\n`);
		return 2;
	}
	const selected = ALL.filter(name => !options.only || options.only.includes(name));
	const work = options.work ? path.resolve(options.work) : path.join(benchDir, 'work', 'run');
	// The work folder is removed at start: only ever one below bench/work.
	if (path.dirname(work) !== path.join(benchDir, 'work')) {
		process.stderr.write(`--work must name a folder directly in ${path.join(benchDir, 'work')}, got ${work}.\n`);
		return 2;
	}
	fs.rmSync(work, {recursive: true, force: true});
	fs.mkdirSync(path.join(work, 'state'), {recursive: true});
	try {
		const cli = snapshotCli(built, work);
		const needsMain = selected.some(name => !SMALL.has(name) && !DATASTORE_PAIRS.includes(name) && name !== 'writes-blocked');
		const needsRecords = selected.some(name => DATASTORE_PAIRS.includes(name)) && options.records > 0;
		const needsSmall = selected.some(name => SMALL.has(name)) && options.smallFiles > 0;
		// The issue's measured install: 1.1 GiB in about 21,000 files and 38,000 folders; the generator's big blobs alone give far fewer.
		const realisticFiles = Math.round(19_000 * options.sizeBytes / 1024 ** 3);
		const main = needsMain ? await build(path.join(work, 'main'), options.sizeBytes, realisticFiles) : emptyFixture(path.join(work, 'main'));
		const context = {cli, work, main, rounds: options.rounds, smallRounds: options.smallRounds, tui: true};
		const results: PairResult[] = [];
		const run = async (pairs: PairSpec[], suffix = '') => {
			for (const pair of pairs.filter(pair => selected.includes(pair.name))) {
				log(`▶ ${pair.title}`);
				const result = await runPair(pair, log);
				if (result.status !== 'ok') log(`${result.status === 'failed' ? '✖' : '⚠'} ${pair.name} ${result.status}: ${result.error ?? result.note}`);
				results.push({...result, name: result.name + suffix});
			}
		};
		await run(definePairs(context));
		// Datastore-shaped records: their own tree, removed before the small-file tree is written (disk and inodes).
		if (needsRecords) {
			const records = await build(path.join(work, 'records'), 16 * 1024 ** 2, 0, options.records);
			await run(datastorePairs({fixture: records, records: options.records, work, rounds: options.rounds, node: [process.execPath, ...shebangFlags(cli), cli], env: {CRX_BACKUP_STATE_DIR: path.join(work, 'state')}}), `@${options.records}`);
			fs.rmSync(records.install, {recursive: true, force: true});
		}
		// Only now: writing a million files leaves the disk busy (journal, discard) for minutes after, and the 1 GiB
		// pairs are the ones with targets; they should not run in its wake.
		const small = needsSmall ? await build(path.join(work, 'small'), Math.min(options.sizeBytes, 16 * 1024 ** 2), options.smallFiles) : undefined;
		if (small) await run(definePairs({...context, small}).filter(pair => SMALL.has(pair.name)));

		const header: Header = {
			machine: machine(), date: new Date().toISOString(),
			size: {requestedBytes: options.sizeBytes, files: main.files, bytes: main.bytes},
			smallFiles: small ? {files: small.files, bytes: small.bytes} : undefined,
			rounds: options.rounds, rssMethod,
			notes: [
				'Times are wall-clock medians of whole processes (Node start-up included for ours); the cache is warm (every file read once after generating).',
				'Targets are cleared (untimed) before each run, except for the re-sync pairs, whose targets persist across rounds.',
				'Ratio = ours ÷ theirs. Our commands run with CRX_BACKUP_STATE_DIR inside the work folder.',
				...(options.only && fs.existsSync(path.join(benchDir, 'results.json')) ? [`This run re-ran only: ${options.only.join(', ')}; other rows come from the previous results.json.`] : []),
			],
		};
		log('');
		if (options.smoke) {
			printTable(results.flatMap(rowsOf), log);
		} else {
			const jsonFile = path.join(benchDir, 'results.json');
			const written = writeJson(jsonFile, header, results, Boolean(options.only));
			const merged = (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {pairs: PairResult[]}).pairs;
			const rows = merged.sort(byOrder).flatMap(rowsOf);
			printTable(rows, log);
			writeMarkdown(path.join(benchDir, 'RESULTS.md'), written, rows);
			log(`\nWrote ${path.relative(process.cwd(), jsonFile)} and bench/RESULTS.md`);
		}
		// Writes blocked vs repository size (root only: btrfs); the smoke runs it on its own (npm run bench:smoke), at a tiny size.
		if (!options.smoke && selected.includes('writes-blocked')) {
			await runWritesBlocked({files: options.quick ? [20_000] : [20_000, 200_000, 1_000_000], cli, work: path.join(work, 'blocked'), write: true, log});
		}
		// Last: it adds the fake AEM's scripts to the fixture's crx-quickstart, which no pair should copy.
		const drillFailed = selected.includes('drill-phases') ? await runDrillPhases({cli, install: main.install, work, rounds: options.smoke ? 1 : options.rounds, write: !options.smoke, log}) : 0;
		const failed = results.filter(result => result.status === 'failed');
		return failed.length > 0 || drillFailed ? 1 : 0;
	} finally {
		if (!options.keep) {
			fs.rmSync(work, {recursive: true, force: true});
			try {
				fs.rmdirSync(path.join(benchDir, 'work')); // Only when empty: profiles or other runs may live beside.
			} catch {}
		}
	}
}

/** Table order: ALL's, the datastore pairs grouped by count (`ds-dir@100000`), smallest first. */
function byOrder(a: PairResult, b: PairResult): number {
	const [nameA = '', countA = '0'] = a.name.split('@');
	const [nameB = '', countB = '0'] = b.name.split('@');
	return Number(countA) - Number(countB) || ALL.indexOf(nameA) - ALL.indexOf(nameB);
}

/** --report: the table and RESULTS.md again from results.json (after editing the report's format, say). */
function report(): number {
	const saved = JSON.parse(fs.readFileSync(path.join(benchDir, 'results.json'), 'utf8')) as Header & {pairs: PairResult[]};
	const rows = saved.pairs.sort(byOrder).flatMap(rowsOf);
	printTable(rows, log);
	writeMarkdown(path.join(benchDir, 'RESULTS.md'), saved, rows);
	return 0;
}

/**
 * Runs a copy of the build taken now, so that a rebuild in the shared tree during
 * a long run cannot swap modules under a pair. The copy lives below the project,
 * so node_modules still resolves.
 */
function snapshotCli(cli: string, work: string): string {
	const snapshot = path.join(work, 'dist');
	fs.cpSync(path.dirname(cli), snapshot, {recursive: true});
	const copy = path.join(snapshot, path.basename(cli));
	const check = spawnSync(process.execPath, [copy, '--help'], {encoding: 'utf8'});
	if (check.status !== 0) throw new Error(`The build at ${cli} does not start (a rebuild in progress?): ${check.stderr.trim()}`);
	return copy;
}

async function build(install: string, sizeBytes: number, smallFiles: number, records = 0): Promise<Fixture> {
	log(`Generating ${(sizeBytes / 1024 ** 2).toFixed(0)} MiB${smallFiles ? ` + ${smallFiles.toLocaleString('en-US')} small files` : ''}${records ? ` + ${records.toLocaleString('en-US')} datastore records` : ''} in ${install} …`);
	const fixture = await buildFixture(install, sizeBytes, smallFiles, records);
	log(`  ${fixture.files.toLocaleString('en-US')} files, ${(fixture.bytes / 1024 ** 2).toFixed(0)} MiB in ${(fixture.generateMs / 1000).toFixed(1)} s; cache warmed`);
	return fixture;
}

function emptyFixture(install: string): Fixture {
	return {install, quickstart: path.join(install, 'crx-quickstart'), files: 0, bytes: 0, paths: [], generateMs: 0};
}

let options: BenchOptions | undefined;
try {
	options = parseBenchArgs(process.argv.slice(2));
} catch (error) {
	process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
	process.exitCode = 2;
}
if (options) process.exitCode = await main(options);
