import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {folder, hostileZip, link} from '../support/hostile.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * Entry names are the backup's (untrusted): restore's refusal and verify's report
 * name them with their controls escaped, so a name holding a newline and a
 * terminal escape cannot forge a line ("crx-backup: Restored…") or erase one.
 */
test('a hostile entry name cannot forge a line in restore\'s refusal or verify\'s report', async () => {
	const root = faultDir('crx-restore-names-');
	const name = 'crx-quickstart/a\ncrx-backup: Restored everything.\u001b[2K/x';
	const zip = hostileZip(path.join(root, 'b.zip'), [folder('crx-quickstart'), link(name, '../../../etc')], {padding: false});
	const restored = await runCli(['restore', zip, '--to', path.join(root, 'to')], {env: stateEnv(root)});
	expect(restored.code).toBe(2);
	expect(restored.stderr.trim().split('\n')).toHaveLength(1);
	expect(restored.stderr).toContain('crx-quickstart/a\\ncrx-backup: Restored everything.\\u001b[2K/x is a symbolic link');
	const verified = await runCli(['verify', zip], {env: stateEnv(root)});
	expect(verified.code).toBe(1);
	const lines = verified.stdout.split('\n');
	expect(lines.filter(line => line.startsWith('crx-backup:'))).toEqual([]);
	expect(verified.stdout).not.toContain('\u001b');
	expect(verified.stdout).toContain('a\\ncrx-backup: Restored everything.');
}, 60_000);
