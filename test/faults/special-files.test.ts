import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {expect, test} from 'vitest';
import {startCli, type CliResult} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv, treeDigest} from '../support/faults.js';

/** Runs the CLI, failing (and killing it) if it has not finished within `ms`: opening a FIFO would block forever. */
async function runWithin(args: string[], env: NodeJS.ProcessEnv, ms: number): Promise<CliResult> {
	const job = startCli(args, {env});
	let timer: NodeJS.Timeout | undefined;
	const hung = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			job.child.kill('SIGKILL');
			reject(new Error(`crx-backup ${args[0]} hung for ${ms} ms`));
		}, ms);
	});
	try {
		return await Promise.race([job.done, hung]);
	} finally {
		clearTimeout(timer);
	}
}

test('a FIFO, a live unix socket and a dangling symlink are skipped with a warning naming each; the backup finishes, both kinds', async () => {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root);
	execFileSync('mkfifo', [path.join(quickstart, 'logs/control.fifo')]);
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(path.join(quickstart, 'logs/agent.sock'), resolve));
	fs.symlinkSync(path.join(root, 'gone/nowhere'), path.join(quickstart, 'conf/dangling.config'));
	const special = ['logs/control.fifo', 'logs/agent.sock', 'conf/dangling.config'];
	try {
		for (const target of ['special', 'special.zip']) {
			const result = await runWithin(['backup', '--repo', install, '--target', path.join(root, target), '--json'], stateEnv(root), 60_000);
			expect(result.code, result.stderr).toBe(0);
			const {warnings} = JSON.parse(result.stdout) as {warnings: string[]};
			for (const rel of special) expect(warnings.filter(warning => warning.includes(rel)), `${target}: ${rel}`).toHaveLength(1);
			expect(warnings.find(warning => warning.includes('control.fifo'))).toMatch(/FIFO|pipe/i);
			expect(warnings.find(warning => warning.includes('agent.sock'))).toMatch(/socket/i);
			expect(warnings.find(warning => warning.includes('dangling.config'))).toMatch(/link/i);
			// The rest is there and intact.
			const verified = await runWithin(['verify', path.join(root, target)], stateEnv(root), 60_000);
			expect(verified.code, verified.stdout).toBe(0);
			const to = path.join(root, `restored-${target}`);
			expect((await runWithin(['restore', path.join(root, target), '--to', to], stateEnv(root), 60_000)).code).toBe(0);
			const expected = treeDigest(quickstart, {meta: false, backupView: true, restoreView: true});
			for (const rel of special) delete expected[rel];
			expect(treeDigest(path.join(to, 'crx-quickstart'), {meta: false})).toEqual(expected);
		}
	} finally {
		server.close();
	}
});
