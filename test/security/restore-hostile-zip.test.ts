import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {expectRefusedAlike, file, folder, hostileZip, link, sentinelArea, type HostileEntry} from '../support/hostile.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * Zips without a crx-backup manifest (as other tools make them) that try to
 * make restore write, link or delete outside its folder, or fail half-way.
 * Each one: restore exits 2 with one sentence and writes nothing, verify
 * exits 1 with that same sentence, and nothing around the restore folder
 * changed.
 */

/** `crx-quickstart/h1 → h2 → … → h{depth}`, the last through a link that climbs: each target harmless as text. */
function chain(depth: number, last: string): HostileEntry[] {
	const links = Array.from({length: depth - 1}, (_, index) => link(`crx-quickstart/h${index + 1}`, `h${index + 2}`));
	return [...links, link(`crx-quickstart/h${depth}`, last)];
}

/** A link that goes back up to crx-quickstart (allowed on its own), used to climb out in a later target. */
const climber = [folder('crx-quickstart/sub'), folder('crx-quickstart/sub/deep'), link('crx-quickstart/sub/deep/up', '../..')];

type Case = [what: string, entries: (sibling: string) => HostileEntry[], sentence: RegExp];

const cases: Case[] = [
	['a file under a link to a sibling folder', sibling => [link('crx-quickstart/l', path.relative('/', sibling).replace(/^/, '../'.repeat(20))), file('crx-quickstart/l/evil')], /crx-quickstart\/l\/evil lies under the symbolic link crx-quickstart\/l/],
	['a folder under a link to ..', () => [link('crx-quickstart/up', '..'), folder('crx-quickstart/up/x')], /lies under the symbolic link crx-quickstart\/up/],
	['a link to ..', () => [link('crx-quickstart/up', '..')], /crx-quickstart\/up is a symbolic link to \.\., which leads outside crx-quickstart/],
	['a link to ../../sibling', () => [link('crx-quickstart/s', '../../sibling')], /leads outside crx-quickstart/],
	['a link to /', () => [link('crx-quickstart/root', '/')], /an absolute path/],
	['an absolute link to the sibling folder', sibling => [link('crx-quickstart/s', sibling)], /an absolute path/],
	['a link under a link', () => [link('crx-quickstart/a', 'conf'), link('crx-quickstart/a/b', '../..')], /crx-quickstart\/a\/b lies under the symbolic link crx-quickstart\/a/],
	['a link that climbs out through another link (…/up/../..)', () => [...climber, link('crx-quickstart/esc', 'sub/deep/up/../..')], /crx-quickstart\/esc is a symbolic link to sub\/deep\/up\/\.\.\/\.\., which leads outside/],
	['two links that point at each other', () => [link('crx-quickstart/p', 'q/x'), link('crx-quickstart/q', 'p/x')], /loops/],
	...[1, 2, 3, 5, 10].flatMap((depth): Case[] => [
		[`a chain of ${depth} link(s) ending in a climb out`, () => [...climber, ...chain(depth, 'sub/deep/up/..')], /which leads outside crx-quickstart/],
		[`a file under a chain of ${depth} link(s)`, () => [...chain(depth, 'conf'), file('crx-quickstart/h1/evil')], /crx-quickstart\/h1\/evil lies under the symbolic link crx-quickstart\/h1/],
	]),
	['a name twice', () => [file('crx-quickstart/dup'), file('crx-quickstart/dup')], /crx-quickstart\/dup appears twice/],
	['a folder twice', () => [folder('crx-quickstart/twice'), folder('crx-quickstart/twice')], /appears twice/],
	['a file, then a folder of the same name', () => [file('crx-quickstart/f'), file('crx-quickstart/f/x')], /crx-quickstart\/f\/x lies under crx-quickstart\/f, which the backup holds as a file/],
	['a folder\'s content, then a file of its name', () => [file('crx-quickstart/g/x'), file('crx-quickstart/g')], /crx-quickstart\/g (is both a folder and a file|appears twice|comes out of path order)/],
	['crx-quickstart/.', () => [folder('crx-quickstart/.')], /not a plain path/],
	['crx-quickstart//x (an empty part)', () => [file('crx-quickstart//x')], /not a plain path/],
	['crx-quickstart/./x', () => [file('crx-quickstart/./x')], /not a plain path/],
	['an absolute name', () => [file('/tmp/evil')], /unsafe \(absolute path/],
	['a name with ..', () => [file('crx-quickstart/../evil')], /unsafe \(invalid relative path/],
	['a name outside crx-quickstart', () => [file('elsewhere/x')], /lies outside crx-quickstart/],
	['a FIFO', () => [{name: 'crx-quickstart/fifo', text: '', mode: 0o010644}], /crx-quickstart\/fifo is a device, FIFO or socket \(mode 10644\)/],
	['a character device', () => [{name: 'crx-quickstart/null', text: '', mode: 0o020666}], /is a device, FIFO or socket \(mode 20666\)/],
	['a block device', () => [{name: 'crx-quickstart/disk', text: '', mode: 0o060660}], /is a device, FIFO or socket/],
	['a socket', () => [{name: 'crx-quickstart/sock', text: '', mode: 0o140755}], /is a device, FIFO or socket/],
];

describe('a hostile zip without a manifest', () => {
	for (const [what, entries, sentence] of cases) {
		test(what, async () => {
			const root = faultDir('crx-hostile-zip-');
			const {sibling, to, unchanged} = sentinelArea(root);
			const zip = hostileZip(path.join(root, 'backups', 'hostile.zip'), entries(sibling));
			expect(await expectRefusedAlike(zip, to, stateEnv(root), ['--delete-index'])).toMatch(sentence);
			unchanged();
		});
	}

	test('a zip whose only entry is a file named crx-quickstart', async () => {
		const root = faultDir('crx-hostile-zip-');
		const {to, unchanged} = sentinelArea(root);
		const zip = hostileZip(path.join(root, 'backups', 'only-file.zip'), [file('crx-quickstart', 'not a folder')], {padding: false});
		expect(await expectRefusedAlike(zip, to, stateEnv(root))).toBe('crx-quickstart is a file in the backup, not a folder');
		unchanged();
	});
});

describe('what stays allowed', () => {
	test('links that stay inside crx-quickstart, chained, restore as links; --delete-index removes only the restored index', async () => {
		const root = faultDir('crx-hostile-zip-');
		const {to, unchanged} = sentinelArea(root);
		const zip = hostileZip(path.join(root, 'backups', 'fine.zip'), [
			...climber, ...chain(3, 'bin'),
			folder('crx-quickstart/repository'), folder('crx-quickstart/repository/index'), file('crx-quickstart/repository/index/segment'),
			folder('crx-quickstart/shared'), file('crx-quickstart/shared/a'),
			link('crx-quickstart/repository/link-to-shared', '../shared'),
		]);
		const env = stateEnv(root);
		const verified = await runCli(['verify', zip], {env});
		expect(verified.code, verified.stdout).toBe(0);
		const restored = await runCli(['restore', zip, '--to', to, '--delete-index'], {env});
		expect(restored.code, restored.stderr).toBe(0);
		expect(fs.readlinkSync(path.join(to, 'crx-quickstart/h1'))).toBe('h2');
		expect(fs.readlinkSync(path.join(to, 'crx-quickstart/sub/deep/up'))).toBe('../..');
		expect(fs.readFileSync(path.join(to, 'crx-quickstart/h1/start'), 'utf8')).toBe('#!/bin/sh\n');
		expect(fs.existsSync(path.join(to, 'crx-quickstart/repository/index'))).toBe(false);
		fs.rmSync(to, {recursive: true});
		unchanged();
	});

	test('--delete-index never follows a restored link named repository', async () => {
		const root = faultDir('crx-hostile-zip-');
		const {to, unchanged} = sentinelArea(root);
		const zip = hostileZip(path.join(root, 'backups', 'repo-link.zip'), [
			folder('crx-quickstart/elsewhere'), folder('crx-quickstart/elsewhere/index'), file('crx-quickstart/elsewhere/index/keep'),
			link('crx-quickstart/repository', 'elsewhere'),
		]);
		const restored = await runCli(['restore', zip, '--to', to, '--delete-index'], {env: stateEnv(root)});
		expect(restored.code, restored.stderr).toBe(0);
		expect(fs.readFileSync(path.join(to, 'crx-quickstart/elsewhere/index/keep'), 'utf8')).toBe('x');
		fs.rmSync(to, {recursive: true});
		unchanged();
	});
});
