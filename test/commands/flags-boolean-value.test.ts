import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {snapshot} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * A boolean flag takes no value and is given once: `--keep=maybe` was read as some boolean and the drill ran (not
 * keeping), `list --json=no` printed JSON, `--keep --keep` ran while a value flag given twice is refused. Each is bad
 * usage, for every command: exit 2, one sentence on stderr prefixed `crx-backup:`, nothing written.
 */

let root: string;
let install: string;
let backups: string;
const state = () => path.join(root, 'state');

beforeAll(() => {
	root = tempDir('crx-flags-boolean-');
	({install} = makeInstall(root));
	backups = path.join(root, 'backups');
	fs.mkdirSync(backups);
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

const cases: Array<[args: () => string[], refused: string]> = [
	[() => ['drill', '--repo', install, '--dir', backups, '--keep=maybe'], 'crx-backup: --keep takes no value (got "maybe"); see crx-backup drill --help.'],
	[() => ['drill', '--repo', install, '--dir', backups, '--allow-network=no'], 'crx-backup: --allow-network takes no value (got "no"); see crx-backup drill --help.'],
	[() => ['drill', '--repo', install, '--dir', backups, '--json=1'], 'crx-backup: --json takes no value (got "1"); see crx-backup drill --help.'],
	[() => ['list', '--repo', install, '--dir', backups, '--json=no'], 'crx-backup: --json takes no value (got "no"); see crx-backup list --help.'],
	[() => ['prune', '--repo', install, '--dir', backups, '--keep-last', '1', '--dry-run=yes'], 'crx-backup: --dry-run takes no value (got "yes"); see crx-backup prune --help.'],
	[() => ['drill', '--repo', install, '--dir', backups, '--keep', '--keep'], 'crx-backup: the flag --keep can only be set once; see crx-backup drill --help.'],
	[() => ['backup', '--repo', install, '--target', path.join(backups, 'n2'), '--no-external-datastore', '--external-datastore'], 'crx-backup: the flag --no-external-datastore can only be set once; see crx-backup backup --help.'],
];

describe('a boolean flag with a value, or given twice: exit 2, one prefixed sentence, nothing written', () => {
	for (const [args, refused] of cases) {
		test(refused, async () => {
			const before = snapshot(root);
			const result = await runCli(args(), {env: {CRX_BACKUP_STATE_DIR: state()}});
			expect(result.code, result.stderr).toBe(2);
			expect(result.stderr.split('\n').filter(line => line !== '')).toEqual([refused]);
			expect(result.stdout).toBe('');
			expect(snapshot(root)).toEqual(before);
		});
	}

	test('after -- a word is an argument, not a flag: it is not refused as one', async () => {
		const result = await runCli(['list', '--repo', install, '--dir', backups, '--', '--json=no'], {env: {CRX_BACKUP_STATE_DIR: state()}});
		expect(result.stderr).not.toMatch(/takes no value/);
	});
});
