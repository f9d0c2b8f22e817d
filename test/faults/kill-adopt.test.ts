import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * A backup or an adopt killed between writing its made/ record and renaming it into place leaves the
 * temporary file (`<record>.json.<pid>.<random>.tmp`, as createPrivateFile names it). It proves nothing
 * (only the renamed record is read), but it stayed for good; the next record written clears it.
 */
test('a made/ record\'s temporary file left by a killed run is cleared by the next run', async () => {
	const root = faultDir();
	const {install} = makeInstall(root, {live: false});
	const env = {...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: '2026-10-01T02:00:00Z'};
	const made = await runCli(['backup', '--repo', install, '--target', path.join(root, 'n1.zip')], {env});
	expect(made.code, made.stderr).toBe(0);
	const records = path.join(root, 'state', 'made');
	const [record] = fs.readdirSync(records);
	const dead = spawnSync('true').pid!; // A process that has exited.
	const left = path.join(records, `${record}.${dead}.0123456789ab.tmp`);
	fs.writeFileSync(left, '{"path":', {mode: 0o600});

	const copy = path.join(root, 'n1-copy.zip');
	fs.copyFileSync(path.join(root, 'n1.zip'), copy);
	const adopted = await runCli(['adopt', copy, '--repo', install], {env});
	expect(adopted.code, adopted.stderr).toBe(0);
	expect(fs.existsSync(left)).toBe(false);
	expect(fs.readdirSync(records).filter(name => name.endsWith('.tmp'))).toEqual([]);
});
