import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/** --on-success / --on-failure: their environment, and that a failing or hung hook never changes the outcome. */
let root: string;
let install: string;
let env: NodeJS.ProcessEnv;
const record = 'env | grep ^CRX_BACKUP_ | sort > "$HOOK_OUT"; cat "$CRX_BACKUP_SUMMARY" > "$HOOK_OUT.json"';
const hookEnv = (file: string) => Object.fromEntries(fs.readFileSync(file, 'utf8').trim().split('\n').map(line => line.split(/=(.*)/s).slice(0, 2)));

beforeAll(() => {
	root = fs.realpathSync(tempDir('crx-hooks-'));
	({install} = makeInstall(root, {live: false}));
	env = {CRX_BACKUP_STATE_DIR: path.join(root, 'state'), HOOK_OUT: path.join(root, 'hook.env')};
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('backup hooks', () => {
	test('--on-success gets the status, the target and the JSON summary; --on-failure does not run', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'good.zip', '--on-success', record, '--on-failure', 'touch "$HOOK_OUT.wrong"'], {env});
		expect(result.code).toBe(0);
		const target = path.join(root, 'good.zip');
		const seen = hookEnv(env.HOOK_OUT!);
		expect(seen).toMatchObject({CRX_BACKUP_STATUS: 'success', CRX_BACKUP_TARGET: target, CRX_BACKUP_REPO: path.join(install, 'crx-quickstart')});
		expect(path.dirname(seen.CRX_BACKUP_SUMMARY)).toBe(env.CRX_BACKUP_STATE_DIR);
		const summary = JSON.parse(fs.readFileSync(`${env.HOOK_OUT}.json`, 'utf8'));
		expect(summary).toMatchObject({exitCode: 0, outcome: 'success', target, summary: {target, kind: 'zip', files: expect.any(Number)}});
		expect(fs.existsSync(`${env.HOOK_OUT}.wrong`)).toBe(false);
	});

	test('--on-failure runs after a failed backup, whose exit code stands', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'bad.zip', '--freeze-cmd', 'exit 3', '--on-failure', record, '--on-success', 'touch "$HOOK_OUT.wrong"'], {env});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^crx-backup: .*freeze/m);
		expect(hookEnv(env.HOOK_OUT!)).toMatchObject({CRX_BACKUP_STATUS: 'failure', CRX_BACKUP_TARGET: path.join(root, 'bad.zip')});
		expect(JSON.parse(fs.readFileSync(`${env.HOOK_OUT}.json`, 'utf8'))).toMatchObject({exitCode: 1, outcome: 'failure', sentence: expect.stringContaining('freeze')});
		expect(fs.existsSync(`${env.HOOK_OUT}.wrong`)).toBe(false);
	});

	test('a failing hook and a hung one only warn: the good backup stays a good one (exit 0)', async () => {
		const failing = await runCli(['backup', '--repo', install, '--target', 'a.zip', '--on-success', 'echo no route >&2; exit 7', '--json'], {env});
		expect(failing.code).toBe(0);
		expect(JSON.parse(failing.stdout).target).toBe(path.join(root, 'a.zip'));
		expect(failing.stderr).toContain('⚠ The --on-success command failed with exit code 7 (no route); the backup\'s outcome stands.\n');
		expect(fs.existsSync(path.join(root, 'a.zip'))).toBe(true);

		// The hook would hang for ten minutes, past the test's own timeout: the run ends only because the hook was stopped.
		const pidFile = path.join(root, 'hook.pid');
		const hung = await runCli(['backup', '--repo', install, '--target', 'b.zip', '--on-success', `echo $$ > '${pidFile}'; exec sleep 600`, '--hook-timeout', '0.5'], {env});
		expect(hung.code).toBe(0);
		expect(hung.stderr).toContain('⚠ The --on-success command did not finish within 1 s and was stopped; the backup\'s outcome stands.\n');
		expect(() => process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 0)).toThrow();
	});

	test('a bad --hook-timeout is refused before anything is written', async () => {
		const result = await runCli(['backup', '--repo', install, '--target', 'never.zip', '--on-success', 'true', '--hook-timeout', '0'], {env});
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('crx-backup: --hook-timeout must be a number of seconds above 0 and at most 3600 (got "0").\n');
		expect(fs.existsSync(path.join(root, 'never.zip'))).toBe(false);
	});
});
