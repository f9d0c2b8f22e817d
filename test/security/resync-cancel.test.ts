import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli, startCli, waitFor, type CliResult} from '../support/cli.js';
import {faultDir, sleep, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A cancelled (or killed) re-sync of a complete directory backup
 * must never delete what the previous backup held. The old mirror took a walk
 * that ended early (the signal) for a walk that had seen everything, and
 * deleted every entry it had not reached: 22 files of 369 were left.
 */

const MiB = 1024 * 1024;
const CHANGED = ['apps/big-1.bin', 'apps/big-2.bin'];

/** About 370 files, two big ones first in walk order (they change, and --delay makes copying them slow). */
function makeRepository(root: string): {install: string; quickstart: string} {
	const install = path.join(root, 'AEM');
	const quickstart = path.join(install, 'crx-quickstart');
	const file = (rel: string, content: Buffer) => {
		fs.mkdirSync(path.dirname(path.join(quickstart, rel)), {recursive: true});
		fs.writeFileSync(path.join(quickstart, rel), content);
	};
	for (const rel of CHANGED) file(rel, crypto.randomBytes(16 * MiB));
	for (let i = 0; i < 40; i++) file(`bin/script-${i}.sh`, Buffer.from(`#!/bin/sh\necho ${i}\n`));
	for (let i = 0; i < 60; i++) file(`conf/c-${i}.config`, crypto.randomBytes(2000));
	for (let i = 0; i < 60; i++) file(`repository/segmentstore/data${String(i).padStart(5, '0')}a.tar`, crypto.randomBytes(20_000));
	for (let i = 0; i < 200; i++) {
		const content = crypto.randomBytes(3000);
		const digest = crypto.createHash('sha1').update(content).digest('hex');
		file(`repository/datastore/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest.slice(4, 6)}/${digest}`, content);
	}
	for (let i = 0; i < 10; i++) file(`logs/l-${i}.log`, Buffer.from(`line ${i}\n`));
	return {install, quickstart};
}

interface Prepared {
	root: string;
	install: string;
	target: string;
	/** crx-quickstart of the complete backup before the re-sync: path → content digest. */
	before: Record<string, string>;
	/** The source after the two changes. */
	after: Record<string, string>;
}

async function completeBackupThenChange(): Promise<Prepared> {
	const root = faultDir('crx-resync-');
	const {install, quickstart} = makeRepository(root);
	const target = path.join(root, 'backup');
	const first = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
	expect(first.code, first.stderr).toBe(0);
	const before = treeDigest(path.join(target, 'crx-quickstart'), {meta: false});
	expect(Object.keys(before).length).toBeGreaterThan(360);
	for (const rel of CHANGED) fs.writeFileSync(path.join(quickstart, rel), crypto.randomBytes(16 * MiB));
	const after = treeDigest(quickstart, {meta: false, backupView: true});
	return {root, install, target, before, after};
}

/** Every path of the previous backup is still there, byte-identical, or (the changed ones) exactly the new content: never partial. */
function expectPreviousBackupKept({target, before, after}: Prepared): void {
	const now = treeDigest(path.join(target, 'crx-quickstart'), {meta: false});
	for (const [rel, digest] of Object.entries(before)) {
		if (CHANGED.includes(rel)) expect([digest, after[rel]], rel).toContain(now[rel]);
		else expect(now[rel], rel).toBe(digest);
	}
	// Nothing else but temp copies of a kill (the next re-sync removes them).
	const extra = Object.keys(now).filter(rel => !(rel in before) && !rel.endsWith('.crxtmp'));
	expect(extra).toEqual([]);
	expect(fs.existsSync(path.join(target, 'backupInProgress.txt'))).toBe(true);
}

/** Starts the re-sync, waits until stage 1 is about to copy (the warning that follows the count), then waits `ms` more. */
async function resyncUntilStage1(prepared: Prepared, ms: number): Promise<ReturnType<typeof startCli>> {
	const job = startCli(['backup', '--repo', prepared.install, '--target', prepared.target, '--delay', '50'], {env: stateEnv(prepared.root)});
	let stderr = '';
	job.child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	await waitFor(() => /No --freeze-cmd/.test(stderr), 20_000, 'stage 1 to start');
	await sleep(ms);
	return job;
}

describe('a cancelled or killed re-sync keeps the previous backup', () => {
	test('SIGINT during the re-sync (the issue\'s scenario): exit 130, every file of the previous backup kept, still marked in progress', async () => {
		const prepared = await completeBackupThenChange();
		const job = await resyncUntilStage1(prepared, 50);
		job.child.kill('SIGINT');
		const result: CliResult = await job.done;
		expect(result.code, result.stderr).toBe(130);
		expectPreviousBackupKept(prepared);
		// The next re-sync completes it: the target is the source again.
		const next = await runCli(['backup', '--repo', prepared.install, '--target', prepared.target], {env: stateEnv(prepared.root)});
		expect(next.code, next.stderr).toBe(0);
		expect(treeDigest(path.join(prepared.target, 'crx-quickstart'), {meta: false})).toEqual(prepared.after);
	});

	for (const ms of [0, 100, 250, 500]) {
		test(`SIGKILL ${ms} ms into stage 1: every file of the previous backup kept (the changed ones old or new, never partial)`, async () => {
			const prepared = await completeBackupThenChange();
			const job = await resyncUntilStage1(prepared, ms);
			job.child.kill('SIGKILL');
			const result = await job.done;
			if (result.code === 0) return; // Finished before the kill: nothing to check here.
			expectPreviousBackupKept(prepared);
			const next = await runCli(['backup', '--repo', prepared.install, '--target', prepared.target], {env: stateEnv(prepared.root)});
			expect(next.code, next.stderr).toBe(0);
			expect(treeDigest(path.join(prepared.target, 'crx-quickstart'), {meta: false})).toEqual(prepared.after);
		});
	}
});
