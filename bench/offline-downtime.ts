/**
 * Offline downtime with a snapshot (goal: ≤ stop + start + 1 s).
 *
 * On a btrfs loop file system, an install running the fake AEM (source/demo/fake-aem:
 * bin/stop takes its stop delay to flush, like AEM) is, per round:
 *
 *   baseline  stopped and started by hand: bin/stop, wait until cq.pid's process
 *             is gone and repo.lock is free, then bin/start (its return)
 *   offline   backed up with `crx-backup backup --method offline`, which stops it,
 *             snapshots, starts it and then copies from the snapshot; its
 *             `downtimeMs` runs from the stop command to the start command's return
 *
 * Both end at bin/start's return: AEM's own boot after that is the same in both.
 *
 *   npm run bench:offline -- [--files 200000] [--rounds 3] [--stop-delay-ms 3000]
 *
 * Root only. Writes bench/offline-downtime.json and prints a Markdown table for RESULTS.md.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {installFakeAem} from '../source/demo/fake-aem/install.js';
import {isAlive, isLocked, runningFakeAem, startFakeAem} from '../source/demo/fake-aem/control.js';
import {fakeAemPaths} from '../source/demo/fake-aem/paths.js';
import {generateRepository} from '../source/demo/generate.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const sh = (file: string, args: string[]) => execFileSync(file, args, {stdio: ['ignore', 'pipe', 'pipe']}).toString();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

interface Round {
	stopMs: number;
	startMs: number;
	offlineDowntimeMs: number;
	snapshotCreateMs: number;
	backupTotalMs: number;
}

/** bin/stop, then wait as the engine does (pid gone, lock free); bin/start until it returns. */
async function stopAndStart(install: string): Promise<{stopMs: number; startMs: number}> {
	const paths = fakeAemPaths(install);
	const pid = runningFakeAem(install)!.pid;
	const t0 = Date.now();
	sh('sh', [path.join(paths.quickstart, 'bin/stop')]);
	await until(async () => !isAlive(pid) && !(await isLocked(paths.repoLock)), 'AEM to stop');
	const t1 = Date.now();
	sh('sh', [path.join(paths.quickstart, 'bin/start')]);
	const t2 = Date.now();
	await until(() => runningFakeAem(install) !== undefined, 'AEM to be ready');
	return {stopMs: t1 - t0, startMs: t2 - t1};
}

async function measure(options: {files: number; rounds: number; stopDelayMs: number; cli: string; work: string; log: (line: string) => void}): Promise<Round[]> {
	const {files, log} = options;
	const root = path.join(options.work, `offline-${files}`);
	const mount = path.join(root, 'mnt');
	fs.mkdirSync(mount, {recursive: true});
	const image = path.join(root, 'btrfs.img');
	fs.writeFileSync(image, '');
	fs.truncateSync(image, Math.max(1024 ** 3, files * 12 * 1024));
	sh('mkfs.btrfs', ['-q', image]);
	sh('mount', ['-o', 'loop', image, mount]);
	const install = path.join(mount, 'aem');
	try {
		sh('btrfs', ['subvolume', 'create', install]);
		await generateRepository(install, {sizeBytes: 16 * 1024 ** 2, seed: 1, smallFiles: files});
		await installFakeAem(install, {stopDelayMs: options.stopDelayMs, stateDir: path.join(root, 'aem-state')});
		await startFakeAem(install);
		log(`  ${files.toLocaleString('en-US')} small files on btrfs, the fake AEM running (stop delay ${options.stopDelayMs} ms)`);
		const env = {...process.env, CRX_BACKUP_STATE_DIR: path.join(root, 'state'), CRX_BACKUP_MAINTENANCE_WINDOW: 'none'};
		const rounds: Round[] = [];
		for (let round = 1; round <= options.rounds; round++) {
			const baseline = await stopAndStart(install);
			const target = path.join(root, `offline-${round}`);
			const run = spawnSync(process.execPath, [options.cli, 'backup', '--repo', install, '--target', target, '--method', 'offline', '--json'], {encoding: 'utf8', env, maxBuffer: 1 << 26});
			if (run.status !== 0) throw new Error(`offline backup failed: ${run.stderr.trim().split('\n').pop()}`);
			const summary = JSON.parse(run.stdout) as {downtimeMs: number; durationMs: number; snapshot?: {createMs: number; released: boolean}};
			if (!summary.snapshot?.released) throw new Error('the offline backup did not use (or did not release) a snapshot');
			await until(() => runningFakeAem(install) !== undefined, 'AEM to be ready after the backup');
			fs.rmSync(target, {recursive: true, force: true});
			const row = {...baseline, offlineDowntimeMs: summary.downtimeMs, snapshotCreateMs: summary.snapshot.createMs, backupTotalMs: summary.durationMs};
			log(`  round ${round}: stop ${row.stopMs} ms + start ${row.startMs} ms by hand; offline backup down ${row.offlineDowntimeMs} ms (snapshot ${row.snapshotCreateMs} ms), backup ${row.backupTotalMs} ms in all`);
			rounds.push(row);
		}
		return rounds;
	} finally {
		const running = runningFakeAem(install);
		if (running) {
			sh('sh', [path.join(running.paths.quickstart, 'bin/stop')]);
			await until(() => !isAlive(running.pid), 'AEM to stop').catch(() => undefined);
		}
		try {
			sh('umount', ['-l', mount]);
		} catch {}
		fs.rmSync(root, {recursive: true, force: true});
	}
}

function markdown(files: number, rounds: Round[], stopDelayMs: number): string {
	const m = (key: keyof Round) => median(rounds.map(round => round[key]));
	const budget = m('stopMs') + m('startMs') + 1000;
	return [
		'## Offline downtime with a snapshot', '',
		`\`npm run bench:offline\`: ${files.toLocaleString('en-US')} small files on a btrfs loop file system, the fake AEM (stop delay ${stopDelayMs} ms, as AEM flushes on stop), median of ${rounds.length} rounds, ${os.cpus().length} cores, load average ${os.loadavg().map(value => value.toFixed(1)).join(' / ')} at the end.`,
		'Both columns end when bin/start returns; AEM\'s own boot after that is the same for both.', '',
		'| stop by hand | start by hand | stop + start + 1 s | offline backup: downtime | of which snapshot | offline backup: total |',
		'| ---: | ---: | ---: | ---: | ---: | ---: |',
		`| ${m('stopMs')} ms | ${m('startMs')} ms | ${budget} ms | ${m('offlineDowntimeMs')} ms | ${m('snapshotCreateMs')} ms | ${(m('backupTotalMs') / 1000).toFixed(1)} s |`,
		'', `Goal: downtime ≤ stop + start + 1 s: ${m('offlineDowntimeMs') <= budget ? '✔ met' : '✖ missed'}.`, '',
	].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const {values} = parseArgs({options: {files: {type: 'string', default: '200000'}, rounds: {type: 'string', default: '3'}, 'stop-delay-ms': {type: 'string', default: '3000'}, cli: {type: 'string', default: 'dist/cli.js'}}});
	if (process.getuid?.() !== 0) {
		process.stdout.write('⚠ offline-downtime skipped: it needs root (a btrfs loop file system).\n');
		process.exit(0);
	}
	const files = Number(values.files);
	const stopDelayMs = Number(values['stop-delay-ms']);
	const work = path.join(benchDir, 'work', 'offline');
	fs.mkdirSync(work, {recursive: true});
	const cli = path.join(work, 'dist', path.basename(values.cli!)); // A copy: a rebuild during the run must not swap modules under it.
	fs.cpSync(path.dirname(path.resolve(values.cli!)), path.dirname(cli), {recursive: true});
	const log = (line: string) => process.stdout.write(`${line}\n`);
	log('▶ Offline downtime with a btrfs snapshot vs stopping and starting AEM by hand');
	try {
		const rounds = await measure({files, rounds: Number(values.rounds), stopDelayMs, cli, work, log});
		fs.writeFileSync(path.join(benchDir, 'offline-downtime.json'), `${JSON.stringify({date: new Date().toISOString(), files, stopDelayMs, rounds}, null, '\t')}\n`);
		const table = markdown(files, rounds, stopDelayMs);
		fs.writeFileSync(path.join(benchDir, 'OFFLINE-DOWNTIME.md'), table);
		log(`\n${table}`);
	} finally {
		fs.rmSync(work, {recursive: true, force: true});
	}
}
