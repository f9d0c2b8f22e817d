import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {expect} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {runCli, startCli, waitFor} from './cli.js';
import {faultDir, listDir, sha1File, sleep, stateEnv, treeDigest} from './faults.js';

/**
 * SIGKILL at random moments of a backup: the process gets no chance to clean up,
 * so what it leaves is exactly what a power cut or the OOM killer leaves. After
 * each kill: nothing half-written looks complete, `list` calls the wreck
 * incomplete, the source is as it was (mtimes included), and the next backup to
 * the same target takes the stale lock over, cleans up and succeeds.
 */

export interface KillReport {
	kills: number;
	/** How far each killed run got, by its last progress line: what the random moments covered. */
	reached: Record<string, number>;
	finishedBeforeKill: number;
}

// Whole milliseconds: --delay takes no fractions; 1 for both (the zip run was 0.5).
const DELAY: Record<'zip' | 'directory', string> = {zip: '1', directory: '1'};

function lastStep(stderr: string): string {
	const steps = stderr.split('\n').map(line => /✔ (Stage \d phase [AB]|Zipping)/.exec(line)?.[1]).filter(Boolean);
	return steps.length === 0 ? 'stage 1 (nothing finished)' : `after ${steps.at(-1)}`;
}

/** Rewrites a third of the datastore with new bytes of the same size, deletes one file and adds one: work for a re-sync. */
function mutate(quickstart: string, round: number): void {
	const datastore = path.join(quickstart, 'repository/datastore');
	const files: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			if (entry.isDirectory()) walk(path.join(dir, entry.name));
			else files.push(path.join(dir, entry.name));
		}
	};
	walk(datastore);
	files.sort();
	for (const [index, file] of files.entries()) {
		if (index % 3 === round % 3) fs.writeFileSync(file, crypto.randomBytes(fs.statSync(file).size));
	}
	fs.rmSync(files[round % files.length]!, {force: true});
	fs.writeFileSync(path.join(datastore, `added-${round}.bin`), crypto.randomBytes(64 * 1024));
}

export async function killRepeatedly(kind: 'zip' | 'directory', kills: number): Promise<KillReport> {
	const root = faultDir('crx-kill-');
	const env = stateEnv(root);
	const install = path.join(root, 'AEM');
	const {quickstart} = await generateRepository(install, {sizeBytes: 3 * 1024 * 1024, seed: 11});
	const backups = path.join(root, 'backups');
	fs.mkdirSync(backups);
	const target = path.join(backups, kind === 'zip' ? 'night.zip' : 'night');
	// A re-run over the previous zip replaces it: that takes --force (a zip is never replaced unasked).
	const backup = (delay: string) => ['backup', '--repo', install, '--target', target, '--delay', delay, '--json', ...(kind === 'zip' ? ['--force'] : [])];
	const report: KillReport = {kills: 0, reached: {}, finishedBeforeKill: 0};

	const started = () => kind === 'zip'
		? fs.readdirSync(backups).some(name => /^night\.[0-9a-f]{4}\.temp$/.test(name))
		: fs.existsSync(path.join(target, 'backupInProgress.txt'));
	// Undisturbed runs tell how long a backup lasts once its target appears: a fresh one, and a re-sync of a changed source.
	const measure = async () => {
		const job = startCli(backup(DELAY[kind]), {env});
		await waitFor(started, 15_000, 'the backup to start writing');
		const from = Date.now();
		const result = await job.done;
		expect(result.code, result.stderr).toBe(0);
		return Date.now() - from;
	};
	const duration = [await measure(), (mutate(quickstart, 1), await measure())];

	for (let round = 0; round < kills; round++) {
		// Even rounds start from nothing; odd rounds re-run over the previous complete backup with a changed source.
		if (round % 2 === 0) fs.rmSync(target, {recursive: true, force: true});
		else mutate(quickstart, round);
		const previousZip = kind === 'zip' && fs.existsSync(target) ? sha1File(target) : undefined;
		const sourceBefore = treeDigest(install);

		const job = startCli(backup(DELAY[kind]), {env});
		await waitFor(started, 15_000, 'the backup to start writing');
		// Mostly within the run; one in ten near its very end (rename, clean-up), where a kill may come too late.
		await sleep(Math.random() < 0.1 ? duration[round % 2]! * (0.85 + Math.random() * 0.2) : Math.random() * duration[round % 2]! * 0.85);
		const exitedBefore = job.child.exitCode !== null;
		job.child.kill('SIGKILL');
		const killed = await job.done;
		report.kills++;
		if (exitedBefore || killed.code === 0) report.finishedBeforeKill++;
		const reached = killed.code === 0 ? 'finished' : lastStep(killed.stderr);
		report.reached[reached] = (report.reached[reached] ?? 0) + 1;
		const context = `round ${round}, killed ${reached}`;
		if (process.env.CRX_FAULT_TRACE) console.log(new Date().toISOString(), context);

		expect(treeDigest(install), `${context}: the source changed`).toEqual(sourceBefore);
		const listed = await listDir(backups, env);
		expect(listed.filter(record => record.status === 'running'), context).toEqual([]);
		const wrecks = listed.filter(record => record.path !== target);
		for (const record of wrecks) expect(record, context).toMatchObject({status: 'incomplete'});

		if (kind === 'zip') {
			const leftovers = fs.readdirSync(backups).filter(name => name !== 'night.zip');
			for (const name of leftovers) expect(name, context).toMatch(/^night\.[0-9a-f]{4}\.temp$|^night\.zip\.[0-9a-f]{4}\.partial$/);
			// Every leftover is shown as the wreck it is, so an operator can see and delete it.
			expect(wrecks.map(record => path.basename(record.path)).sort(), context).toEqual(leftovers.sort());
			if (fs.existsSync(target)) {
				const now = sha1File(target);
				if (now !== previousZip) {
					// The kill came after the rename: then it is the whole new backup.
					const verified = await runCli(['verify', target, '--json'], {env});
					expect(verified.code, `${context}: a new zip is in place but does not verify: ${verified.stdout}`).toBe(0);
					expect(listed.find(record => record.path === target), context).toMatchObject({status: 'complete'});
				}
			}
		} else {
			const marked = fs.existsSync(path.join(target, 'backupInProgress.txt'));
			const manifest = fs.existsSync(path.join(target, 'crx-backup-manifest.jsonl'));
			const record = listed.find(entry => entry.path === target);
			if (marked) {
				expect(record, context).toMatchObject({status: 'incomplete'});
			} else {
				// Finished before the kill: complete, with its manifest, and it verifies.
				expect(manifest, `${context}: neither in progress nor complete`).toBe(true);
				expect(record, context).toMatchObject({status: 'complete'});
				expect((await runCli(['verify', target, '--json'], {env})).code, context).toBe(0);
			}
		}

		const next = await runCli(backup('0'), {env});
		expect(next.code, `${context}: the next backup failed: ${next.stderr}`).toBe(0);
		expect(fs.readdirSync(backups), `${context}: leftovers survived the next backup`).toEqual([path.basename(target)]);
		// What stays beside the lock is the folder-listing cache the successful backup left, one file per phase.
		// And the last run's record for `status` (monitor/last-run.ts).
		// And the records of the backups it made (made/), what prune and delete may remove.
		// And a directory backup's record of the inodes it wrote (the next --link-dest trusts its CRCs by them).
		const state = fs.readdirSync(path.join(root, 'state')).filter(name => !/^[0-9a-f]{20}\.last-run\.json$/.test(name) && name !== 'made' && !/\.written-[0-9a-f]{20}\.v1$/.test(name)).sort();
		expect(state.filter(name => !/^[0-9a-f]{20}\.[AB]\.v1\.listing$/.test(name)), `${context}: the lock was not released, or a temp file stayed`).toEqual([]);
		expect(state, `${context}: the listing cache`).toHaveLength(2);
		const verified = await runCli(['verify', target, '--json'], {env});
		expect(verified.code, `${context}: ${verified.stdout}`).toBe(0);
		if (kind === 'directory') {
			// verify checks the copy against its manifest; this checks it against the source.
			expect(treeDigest(path.join(target, 'crx-quickstart'), {meta: false}), context)
				.toEqual(treeDigest(quickstart, {meta: false, backupView: true}));
		}
	}
	return report;
}
