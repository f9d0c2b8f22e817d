import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {runCli, startCli, waitFor} from '../support/cli.js';
import {describeTree, makeInstall, tempDir} from '../support/trees.js';

let root: string;
let install: string;
let quickstart: string;
const state = () => ({CRX_BACKUP_STATE_DIR: path.join(root, 'state')});

beforeEach(() => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

const listing = () => fs.readdirSync(root).filter(name => name !== 'state').sort();

describe('bad input is refused with exit 2, one sentence and nothing written', () => {
	const cases: Array<[string, () => string[], RegExp]> = [
		['a target inside the repository', () => ['backup', '--repo', install, '--target', path.join(quickstart, 'logs/b.zip')], /inside the repository/],
		['the repository itself as target', () => ['backup', '--repo', install, '--target', quickstart], /inside the repository/],
		['the install folder as target', () => ['backup', '--repo', install, '--target', install], /holds the repository/],
		['a negative delay', () => ['backup', '--repo', install, '--delay', '-5'], /delay "-5"/],
		['a non-numeric delay', () => ['backup', '--repo', install, '--delay', 'soon'], /delay "soon"/],
		['a missing repository', () => ['backup', '--repo', path.join(root, 'nope')], /does not exist/],
		['a folder that is no repository', () => ['backup', '--repo', root], /not an AEM repository/],
		['an unknown command', () => ['bakup', '--repo', install], /unknown command "bakup"/],
		['an exclude that escapes', () => ['backup', '--repo', install, '--exclude', '../etc'], /exclude path/],
	];
	for (const [what, args, message] of cases) {
		test(what, async () => {
			const before = listing();
			const result = await runCli(args(), {env: state()});
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(message);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(listing()).toEqual(before);
		});
	}

	test('an unknown flag', async () => {
		const result = await runCli(['backup', '--repo', install, '--targte', 'x'], {env: state()});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/Unknown flag/i);
		expect(listing()).toEqual(['AEM']);
	});

	test('a repository found from the current folder, and the default zip name in the parent of the install folder', async () => {
		const result = await runCli(['estimate', '--json'], {cwd: install, env: state()});
		expect(result.code).toBe(0);
		const estimate = JSON.parse(result.stdout);
		expect(estimate.kind).toBe('zip');
		expect(path.dirname(estimate.target)).toBe(fs.realpathSync(root));
		expect(path.basename(estimate.target)).toMatch(/^backup-\d{8}-\d{4}\.zip$/);
		const upper = JSON.parse((await runCli(['estimate', '--json', '--target', 'X.ZIP'], {cwd: quickstart, env: state()})).stdout);
		expect(upper).toMatchObject({kind: 'zip', divisor: 2, target: path.join(fs.realpathSync(root), 'X.ZIP')});
	});
});

describe('estimate', () => {
	test('applies AEM\'s formula to the repository without index and cache', async () => {
		const result = await runCli(['estimate', '--repo', install, '--target', 'dir', '--delay', '8', '--json'], {env: state()});
		expect(result.code).toBe(0);
		const estimate = JSON.parse(result.stdout);
		const tree = describeTree(quickstart, {skip: ['repository/index', 'repository/cache']});
		const bytes = [...tree.values()].reduce((sum, node) => sum + node.size, 0);
		expect(estimate).toMatchObject({repositoryBytes: bytes, kind: 'directory', divisor: 4, delayMs: 8});
		expect(estimate.delaySeconds).toBeCloseTo(bytes / 1048576 * 8 / 4, 6);
	});
});

describe('delay, lock, cancel and freeze hooks', () => {
	for (const [kind, fastTarget, slowTarget] of [['directory', 'fast', 'slow'], ['zip', 'fast.zip', 'slow.zip']]) {
		test(`the delay adds at least 80 % of the estimated time (${kind})`, async () => {
			const delay = kind === 'zip' ? 5 : 10;
			const estimate = JSON.parse((await runCli(['estimate', '--repo', install, '--target', slowTarget!, '--delay', String(delay), '--json'], {env: state()})).stdout);
			expect(estimate.divisor).toBe(kind === 'zip' ? 2 : 4);
			// The baseline is the faster of two runs: load only ever makes a run slower, and a slow baseline hides the added time.
			const runs = [];
			for (const target of [fastTarget!, fastTarget!.replace('fast', 'again')]) runs.push(JSON.parse((await runCli(['backup', '--repo', install, '--target', target, '--json'], {env: state()})).stdout));
			const fast = runs[0].durationMs <= runs[1].durationMs ? runs[0] : runs[1];
			const slow = JSON.parse((await runCli(['backup', '--repo', install, '--target', slowTarget!, '--delay', String(delay), '--json'], {env: state()})).stdout);
			// What the throttle slept is the added time; the wall clock confirms it (its upper bound is noisy on a loaded machine).
			expect(estimate.delaySeconds).toBeGreaterThan(1.5);
			expect(slow.throttledMs / 1000).toBeGreaterThan(estimate.delaySeconds * 0.8);
			// No upper bound here: a loaded machine wakes sleeps late. That the throttle never means more than the
			// estimate is test/engine/backup/throttle.test.ts's.
			expect((slow.durationMs - fast.durationMs) / 1000).toBeGreaterThan(estimate.delaySeconds * 0.8);
			expect(fast.throttledMs).toBe(0);
		});
	}

	test('an estimate over 24 hours warns before the backup starts copying', async () => {
		// The delay is bounded (60,000 ms): 8 MiB more make the estimate pass 24 hours at the bound (directory: MiB × ms ÷ 4 s).
		fs.writeFileSync(path.join(quickstart, 'repository/segmentstore/data00001a.tar'), Buffer.alloc(8 * 1048576, 7));
		const estimate = JSON.parse((await runCli(['estimate', '--repo', install, '--delay', '60000', '--json'], {env: state()})).stdout);
		expect(estimate.over24h).toBe(true);
		const job = startCli(['backup', '--repo', install, '--target', 'long', '--delay', '60000'], {env: state()});
		let stderr = '';
		job.child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		await waitFor(() => /over 24 hours should be discarded/.test(stderr), 10_000, 'the warning');
		job.child.kill('SIGINT');
		expect((await job.done).code).toBe(130);
	});

	test('a second backup of the same repository fails at once naming the first; a dead one\'s lock is taken over', async () => {
		const first = startCli(['backup', '--repo', install, '--target', 'one', '--delay', '60'], {env: state()});
		await waitFor(() => fs.existsSync(path.join(root, 'one', 'backupInProgress.txt')), 10_000, 'the first backup');
		const second = await runCli(['backup', '--repo', install, '--target', 'two'], {env: state()});
		// "At once" is a state, not a time: the second run is over while the first (throttled for minutes) still runs,
		// so it did not wait for the lock, whatever the machine's speed.
		expect(first.child.exitCode).toBeNull();
		expect(fs.existsSync(path.join(root, 'one', 'backupInProgress.txt'))).toBe(true);
		expect(second.code).toBe(1);
		expect(second.stderr).toContain(`pid ${first.child.pid}`);
		expect(second.stderr).toContain(path.join(root, 'one'));
		expect(fs.existsSync(path.join(root, 'two'))).toBe(false);
		first.child.kill('SIGKILL');
		await first.done;
		const third = await runCli(['backup', '--repo', install, '--target', 'one'], {env: state()});
		expect(third.code).toBe(0);
		expect(fs.existsSync(path.join(root, 'one', 'backupInProgress.txt'))).toBe(false);
	});

	test('SIGINT cancels a directory backup with exit 130 and keeps its backupInProgress.txt', async () => {
		const job = startCli(['backup', '--repo', install, '--target', 'cancelled', '--delay', '60'], {env: state()});
		await waitFor(() => fs.existsSync(path.join(root, 'cancelled', 'backupInProgress.txt')), 10_000, 'the backup to start');
		job.child.kill('SIGINT');
		const result = await job.done;
		expect(result.code).toBe(130);
		expect(result.stderr).toMatch(/cancelled/i);
		expect(fs.existsSync(path.join(root, 'cancelled', 'backupInProgress.txt'))).toBe(true);
		expect(fs.existsSync(path.join(root, 'cancelled', 'crx-backup-manifest.jsonl'))).toBe(false);
	});

	test('SIGTERM cancels a zip backup: no staging folder, no zip, exit 130', async () => {
		const job = startCli(['backup', '--repo', install, '--target', 'night.zip', '--delay', '60'], {env: state()});
		await waitFor(() => fs.readdirSync(root).some(name => /^night\.[0-9a-f]{4}\.temp$/.test(name)), 10_000, 'the staging folder');
		job.child.kill('SIGTERM');
		const result = await job.done;
		expect(result.code).toBe(130);
		expect(listing()).toEqual(['AEM']);
	});

	test('cancelled during stage 4, the thaw command still runs', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'd', '--freeze-cmd', 'kill -INT $PPID; sleep 0.3', '--thaw-cmd', `touch ${root}/thawed`], {env: state()});
		expect(result.code).toBe(130);
		expect(fs.existsSync(path.join(root, 'thawed'))).toBe(true);
	});

	test('a failing freeze command aborts the backup, and the thaw command still runs', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'x.zip', '--freeze-cmd', 'echo no way >&2; exit 3', '--thaw-cmd', `touch ${root}/thawed`], {env: state()});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/freeze command failed with exit code 3 \(no way\)/);
		expect(fs.existsSync(path.join(root, 'thawed'))).toBe(true);
		expect(listing()).toEqual(['AEM', 'thawed']);
	});

	test('a hanging freeze command is stopped after --freeze-timeout', async () => {
		// The freeze would hang for ten minutes, far past the test's own timeout: the run can only end because the
		// timeout stopped it, and the freeze's process is gone with it.
		const pidFile = path.join(root, 'freeze.pid');
		const result = await runCli(['backup', '--repo', install, '--target', 'y', '--freeze-cmd', `echo $$ > '${pidFile}'; exec sleep 600`, '--freeze-timeout', '1', '--thaw-cmd', `touch ${root}/thawed`], {env: state()});
		expect(result.code).toBe(1);
		const freezePid = Number(fs.readFileSync(pidFile, 'utf8'));
		fs.rmSync(pidFile);
		expect(() => process.kill(freezePid, 0)).toThrow();
		expect(result.stderr).toMatch(/did not finish within 1 s/);
		expect(fs.existsSync(path.join(root, 'thawed'))).toBe(true);
	});

	test('a failing thaw command makes the backup exit 1 warning that writes may still be blocked', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'z', '--freeze-cmd', 'true', '--thaw-cmd', 'exit 4'], {env: state()});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/may still be blocked/);
	});

	test('without --freeze-cmd the output says stage 4 ran unblocked', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'w'], {env: state()});
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/No --freeze-cmd: stage 4 runs with repository writes unblocked/);
		expect(result.stdout).toMatch(/writes were not blocked/);
	});
});
