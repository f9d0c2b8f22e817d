import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {snapshot} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * A flag the command does not take is bad usage: exit 2, one sentence on stderr
 * prefixed `crx-backup:`, and nothing written. Before the option registry every
 * command took every flag: `status --incremental --to /x` ran, `delete … --keep-last 1`
 * deleted, `restore … --delay 5` restored. Each case below did something on that code.
 */

let root: string;
let install: string;
let backups: string;
let zip: string;
const state = () => path.join(root, 'state');

beforeAll(async () => {
	root = tempDir('crx-flags-');
	({install} = makeInstall(root));
	backups = path.join(root, 'backups');
	fs.mkdirSync(backups);
	zip = path.join(backups, 'n1.zip');
	const made = await runCli(['backup', '--repo', install, '--target', zip], {env: {CRX_BACKUP_STATE_DIR: state()}});
	expect(made.code, made.stderr).toBe(0);
}, 120_000);
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

/** Each front with a flag it does not take, typed as an operator would (what it refused names). */
const cases: Array<[front: string, args: () => string[], refused: RegExp]> = [
	['backup', () => ['backup', '--repo', install, '--target', path.join(backups, 'n2.zip'), '--yes'], /^crx-backup: backup does not take --yes; see crx-backup backup --help\.$/],
	['estimate', () => ['estimate', '--repo', install, '--freeze-cmd', `touch ${path.join(root, 'froze')}`], /^crx-backup: estimate does not take --freeze-cmd; see crx-backup estimate --help\.$/],
	['list', () => ['list', '--repo', install, '--dir', backups, '--keep-last', '1'], /^crx-backup: list does not take --keep-last; see crx-backup list --help\.$/],
	['delete', () => ['delete', zip, '--repo', install, '--yes', '--keep-last', '1'], /^crx-backup: delete does not take --keep-last; see crx-backup delete --help\.$/],
	['verify', () => ['verify', zip, '--to', path.join(root, 'restored')], /^crx-backup: verify does not take --to; see crx-backup verify --help\.$/],
	['restore', () => ['restore', zip, '--to', path.join(root, 'restored'), '--delay', '5'], /^crx-backup: restore does not take --delay; see crx-backup restore --help\.$/],
	['prune', () => ['prune', '--repo', install, '--dir', backups, '--keep-last', '1', '--no-external-datastore'], /^crx-backup: prune does not take --no-external-datastore; see crx-backup prune --help\.$/],
	['status', () => ['status', '--repo', install, '--incremental', '--to', '/x'], /^crx-backup: status does not take --incremental or --to; see crx-backup status --help\.$/],
	['push', () => ['push', zip, '--restic-repo', path.join(root, 'restic'), '--dry-run'], /^crx-backup: push does not take --dry-run; see crx-backup push --help\.$/],
	['the terminal UI', () => ['--repo', install, '--yes'], /^crx-backup: the terminal UI does not take --yes; see crx-backup --help\.$/],
];

describe('a flag the command does not take: exit 2, one prefixed sentence, nothing written', () => {
	for (const [front, args, refused] of cases) {
		test(front, async () => {
			const before = snapshot(root);
			const result = await runCli(args(), {env: {CRX_BACKUP_STATE_DIR: state(), RESTIC_PASSWORD: 'x'}});
			expect(result.code, result.stderr).toBe(2);
			const lines = result.stderr.split('\n').filter(line => line !== '');
			expect(lines, result.stderr).toHaveLength(1);
			expect(lines[0]).toMatch(refused);
			expect(result.stdout).toBe('');
			expect(snapshot(root)).toEqual(before);
		});
	}

	test('an unknown flag keeps its own sentence, for a command as for the terminal UI', async () => {
		for (const args of [['status', '--repo', install, '--incremnetal'], ['--targte', 'x']]) {
			const result = await runCli(args, {env: {CRX_BACKUP_STATE_DIR: state()}});
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(/^crx-backup: unknown flag --(incremnetal|targte); see crx-backup --help for the flags\.\n$/);
		}
	});

	test('the flags a command takes still work (status --repo --dir --max-age --json)', async () => {
		const result = await runCli(['status', '--repo', install, '--dir', backups, '--max-age', '2d', '--json'], {env: {CRX_BACKUP_STATE_DIR: state()}});
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout).newest.name).toBe('n1.zip');
	});
});
