import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {header, pythonZip} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/** A name another user gives a zip in a shared folder: a newline, a forged line, a clear-screen escape and an 8-bit CSI. */
const HOSTILE = 'evil\n\u001b[2Jcrx-backup: Deleted everything\u009b31m.zip';

test('a refusal that names a hostile file is one line on stderr, its controls escaped', async () => {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root, {live: false});
	const shared = path.join(root, 'shared');
	fs.mkdirSync(shared);
	fs.chmodSync(shared, 0o1777); // A shared sticky folder, as /tmp.
	const zip = pythonZip(path.join(shared, HOSTILE), [{name: 'crx-backup-manifest.jsonl', text: `${JSON.stringify(header({source: quickstart, kind: 'zip', files: 0}))}\n`}]);

	const deleted = await runCli(['delete', zip, '--yes', '--repo', install, '--dir', shared], {env: stateEnv(root)});
	expect(deleted.code).toBe(2);
	expect(deleted.stderr.endsWith('\n')).toBe(true);
	expect(deleted.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
	expect(deleted.stderr).toContain('evil\\n\\u001b[2Jcrx-backup: Deleted everything\\u009b31m.zip');
	expect(deleted.stderr).toMatch(/^crx-backup: Refusing to delete .*crx-backup cannot prove it wrote it/);
	expect(fs.existsSync(zip)).toBe(true);
});
