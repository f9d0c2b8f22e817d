import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {startCli, type CliResult} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * Every bad argument gets exit 2, exactly one stderr line
 * starting `crx-backup: `, and nothing written (no target, nothing in the
 * state folder). Each case below was accepted, misread or answered otherwise.
 */

let root: string;
let install: string;
let quickstart: string;
const state = () => path.join(root, 'state');

beforeEach(() => {
	root = tempDir();
	({install, quickstart} = makeInstall(root));
});
afterEach(() => execFileSync('rm', ['-rf', root])); // GNU rm removes trees deeper than a path may be long; fs.rmSync cannot.

/** A file 22 folders of 200 bytes below logs/ (over 4,400 bytes), made one level at a time from inside. */
function deepFile(): string {
	const name = 'd'.repeat(200);
	const script = `for (let i = 0; i < 22; i++) { fs.mkdirSync(${JSON.stringify(name)}); process.chdir(${JSON.stringify(name)}); } fs.writeFileSync('f', 'hi');`;
	execFileSync(process.execPath, ['-e', script], {cwd: path.join(quickstart, 'logs')});
	return `logs/${name}`;
}

/** Killed after 20 s: a delay or timeout that hangs fails the test instead of hanging it. */
async function run(args: string[]): Promise<CliResult> {
	const job = startCli(args, {env: {CRX_BACKUP_STATE_DIR: state()}});
	const timer = setTimeout(() => job.child.kill('SIGKILL'), 20_000);
	const result = await job.done;
	clearTimeout(timer);
	return result;
}

const filesIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, {recursive: true}).map(String) : []);

async function expectRefused(args: string[], message: RegExp): Promise<string> {
	const before = fs.readdirSync(root).filter(name => name !== 'state').sort();
	const result = await run(args);
	expect(result.code, result.stderr).toBe(2);
	const lines = result.stderr.split('\n').filter(line => line !== '');
	expect(lines, result.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^crx-backup: /);
	expect(lines[0]).toMatch(message);
	expect(lines[0]!.length).toBeLessThan(400);
	expect(fs.readdirSync(root).filter(name => name !== 'state').sort()).toEqual(before);
	// Nothing but the refused run's own record, once the repository is known (status reports a refused night).
	expect(filesIn(state()).filter(name => !fs.statSync(path.join(state(), name)).isDirectory() && !name.endsWith('.last-run.json'))).toEqual([]);
	return lines[0]!;
}

const backup = (...args: string[]) => ['backup', '--repo', install, ...(args.includes('--target') ? [] : ['--target', path.join(root, 'out')]), ...args];

describe('bad arguments: exit 2, one prefixed sentence, nothing written', () => {
	const cases: Array<[string, string[], RegExp]> = [
		['a freeze timeout past Node\'s timer range', ['--freeze-cmd', 'true', '--freeze-timeout', '99999999999'], /freeze timeout .*at most 86400 \(got "99999999999"\)/],
		['a freeze timeout of 0', ['--freeze-cmd', 'true', '--freeze-timeout', '0'], /freeze timeout/],
		['a negative freeze timeout', ['--freeze-cmd', 'true', '--freeze-timeout=-5'], /freeze timeout/],
		['a non-numeric freeze timeout', ['--freeze-cmd', 'true', '--freeze-timeout', 'soon'], /freeze timeout/],
		['an empty delay', ['--delay', ''], /delay must be a whole number .* \(got delay ""\)/],
		['a delay past the bound', ['--delay', '1000000000000'], /at most 60000 \(got delay "1000000000000"\)/],
		['a fractional delay', ['--delay', '1.5'], /whole number/],
		['--exclude .', ['--exclude', '.'], /exclude path "\." would leave out all of crx-quickstart/],
		['--exclude crx-quickstart', ['--exclude', 'crx-quickstart'], /exclude path "crx-quickstart" would leave out all/],
		['--exclude crx-quickstart/', ['--exclude', 'crx-quickstart/'], /would leave out all/],
		['--exclude *', ['--exclude', '*'], /exclude path "\*" is a pattern/],
		['--exclude logs/*.log', ['--exclude', 'logs/*.log'], /is a pattern/],
		['--exclude with an empty segment', ['--exclude', 'logs//x'], /must be a path inside crx-quickstart/],
		['--exclude an absolute path', ['--exclude', '/etc'], /must be a path inside crx-quickstart/],
		['an unknown flag', ['--targte', 'x'], /unknown flag --targte/],
		['two unknown flags', ['--targte', 'x', '-q'], /unknown flags --targte, -q/],
		['a target name over 255 bytes', ['--target', path.join('/tmp', `${'n'.repeat(256)}.zip`)], /260 bytes long, over the 255/],
		['a target path over 4,095 bytes', ['--target', `/tmp/${'d/'.repeat(2100)}x.zip`], /over the 4095/],
	];
	for (const [what, args, message] of cases) {
		test(what, async () => {
			await expectRefused(backup(...args), message);
		});
	}

	test('estimate refuses the same delays and excludes with the same sentences', async () => {
		const fromBackup = await expectRefused(backup('--delay', '1000000000000'), /delay/);
		const fromEstimate = await expectRefused(['estimate', '--repo', install, '--delay', '1000000000000'], /delay/);
		expect(fromEstimate).toBe(fromBackup);
		await expectRefused(['estimate', '--repo', install, '--exclude', '*'], /is a pattern/);
	});

	// Meow refuses these itself, by throwing; the CLI printed its stack trace and exited 1.
	test('a single-value flag given twice (--delay, --target, restore --to)', async () => {
		await expectRefused(backup('--delay', '5', '--delay', '6'), /the flag --delay can only be set once; see crx-backup --help/);
		await expectRefused(backup('--target', path.join(root, 'a'), '--target', path.join(root, 'b')), /the flag --target can only be set once/);
		await expectRefused(['restore', path.join(root, 'x.zip'), '--to', path.join(root, 'A'), '--to', path.join(root, 'B')], /the flag --to can only be set once/);
	});

	test('a source path over 4,096 bytes: one short sentence, the middle of the path left out', async () => {
		deepFile();
		const line = await expectRefused(backup(), /bytes long, more than the system allows/);
		expect(line).toContain('…');
		expect(fs.existsSync(path.join(root, 'out'))).toBe(false);
	});

	test('the too-long source path can be left out with --exclude, and the backup then succeeds', async () => {
		const result = await run(backup('--exclude', deepFile()));
		expect(result.code, result.stderr).toBe(0);
	});
});
