import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {file, folder, hostileZip, link} from '../support/hostile.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * conf/cq.pid and repo.lock are never restored, whatever name the backup gives
 * them: a hostile backup that holds them elsewhere and makes conf (or the
 * segment store) a link there (a link inside crx-quickstart is allowed) must not
 * leave a restored install in which AEM's bin/start, or the offline method of a
 * later backup, finds a pid file the backup chose.
 */
describe('runtime files reached through a link of the backup', () => {
	test('conf -> pids and repository/segmentstore -> ../segs: no cq.pid, no repo.lock in the restored install', async () => {
		const root = faultDir('crx-runtime-links-');
		const zip = hostileZip(path.join(root, 'b.zip'), [
			folder('crx-quickstart'), folder('crx-quickstart/bin'), file('crx-quickstart/bin/start', '#!/bin/sh\n', 0o100755),
			folder('crx-quickstart/pids'), file('crx-quickstart/pids/cq.pid', '1234\n'),
			folder('crx-quickstart/repository'), folder('crx-quickstart/segs'), file('crx-quickstart/segs/repo.lock', ''),
			file('crx-quickstart/segs/data00000a.tar', 'tar'),
			link('crx-quickstart/conf', 'pids'), link('crx-quickstart/repository/segmentstore', '../segs'),
		], {padding: false});
		const to = path.join(root, 'to');
		const result = await runCli(['restore', zip, '--to', to], {env: stateEnv(root)});
		expect(result.code, result.stderr).toBe(0);
		expect(fs.existsSync(path.join(to, 'crx-quickstart/conf/cq.pid'))).toBe(false);
		expect(fs.existsSync(path.join(to, 'crx-quickstart/repository/segmentstore/repo.lock'))).toBe(false);
		// The rest of what the links lead to is restored.
		expect(fs.readFileSync(path.join(to, 'crx-quickstart/repository/segmentstore/data00000a.tar'), 'utf8')).toBe('tar');
		expect(fs.lstatSync(path.join(to, 'crx-quickstart/conf')).isSymbolicLink()).toBe(true);
	}, 60_000);
});
