import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/** A backup named by someone who wants a monitoring script to read a line crx-backup never wrote. */
const FORGED = 'x\nOK: forged row';

test('a backup named with a newline is one quoted row in list and one line in status', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const backups = path.join(root, 'backups');
	fs.mkdirSync(backups, {mode: 0o700});
	const target = path.join(backups, FORGED);
	const made = await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)});
	expect(made.code, made.stderr).toBe(0);
	expect(fs.existsSync(path.join(target, 'crx-backup-manifest.jsonl'))).toBe(true);

	const list = await runCli(['list', '--repo', install, '--dir', backups], {env: stateEnv(root)});
	expect(list.code, list.stderr).toBe(0);
	const rows = list.stdout.trimEnd().split('\n');
	expect(rows).toHaveLength(2); // The header and the one backup.
	expect(rows[1]).toMatch(/^"x\\nOK: forged row" +directory /);
	expect(list.stdout).not.toMatch(/^OK: forged row/m);

	const status = await runCli(['status', '--repo', install, '--dir', backups], {env: stateEnv(root)});
	expect(status.code, status.stdout).toBe(0);
	expect(status.stdout.trimEnd().split('\n')).toHaveLength(1);
	expect(status.stdout).toContain('newest backup "x\\nOK: forged row" is');
	expect(status.stdout).not.toMatch(/^OK: forged row/m);
});
