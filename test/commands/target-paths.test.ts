import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {startCli, type CliResult} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * A target under /proc looped forever in mkdir (ENOENT, then EEXIST
 * on the parent: Node's recursive mkdir), deaf to SIGINT and SIGTERM; a target
 * whose parent folder did not exist had it made. Both are refused up front.
 */

let root: string;
let install: string;
const state = () => ({CRX_BACKUP_STATE_DIR: path.join(root, 'state')});

beforeEach(() => {
	root = tempDir();
	({install} = makeInstall(root));
});
afterEach(() => fs.rmSync(root, {recursive: true, force: true}));

/** The CLI, killed after `ms` if it has not finished: a hang fails the test instead of hanging it. */
async function runWithin(args: string[], ms = 15_000): Promise<CliResult & {timedOut: boolean}> {
	const job = startCli(args, {env: state()});
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		job.child.kill('SIGKILL');
	}, ms);
	const result = await job.done;
	clearTimeout(timer);
	return {...result, timedOut};
}

const missing = () => path.join(root, 'nonexistent', 'dir');

describe('a target that cannot be made is refused up front: exit 2, one sentence, nothing created', () => {
	const cases: Array<[string, () => string, RegExp, () => string | undefined]> = [
		['a folder under /proc', () => '/proc/crx-backup-test', /pseudo file system/, () => '/proc/crx-backup-test'],
		['a zip in a missing folder under /proc', () => '/proc/crx-backup-test/y.zip', /does not exist/, () => '/proc/crx-backup-test'],
		['a zip directly under /proc', () => '/proc/crx-backup-test.zip', /pseudo file system/, () => undefined],
		['a folder under /sys', () => '/sys/crx-backup-test', /pseudo file system/, () => '/sys/crx-backup-test'],
		['a zip whose folder does not exist', () => path.join(missing(), 'x.zip'), /does not exist/, () => path.join(root, 'nonexistent')],
		['a folder whose parent does not exist', () => missing(), /does not exist/, () => path.join(root, 'nonexistent')],
		['a zip whose folder is a file', () => path.join(install, 'crx-quickstart', '..', '..', 'AEM-file', 'x.zip'), /not a folder/, () => undefined],
	];
	for (const [what, target, message, absent] of cases) {
		test(what, async () => {
			fs.writeFileSync(path.join(root, 'AEM-file'), 'x');
			const before = fs.readdirSync(root).sort();
			const result = await runWithin(['backup', '--repo', install, '--target', target()]);
			expect(result.timedOut, 'the backup hung').toBe(false);
			expect(result.code, result.stderr).toBe(2);
			const lines = result.stderr.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(/^crx-backup: /);
			expect(lines[0]).toMatch(message);
			const made = absent();
			if (made) expect(fs.existsSync(made)).toBe(false);
			expect(fs.readdirSync(root).filter(name => name !== 'state').sort()).toEqual(before.filter(name => name !== 'state'));
		});
	}

	test('estimate refuses the same targets the same way', async () => {
		const result = await runWithin(['estimate', '--repo', install, '--target', path.join(missing(), 'x.zip')]);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^crx-backup: .*does not exist/);
	});
});
