import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {expectRefusedAlike, sentinelArea} from '../support/hostile.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {faultDir, runCliMeasured, stateEnv, treeDigest} from '../support/faults.js';

/**
 * Directory backups another user can write: links planted in them and
 * manifests that lie. Restore refuses (exit 2, nothing written), verify says
 * the same sentence (exit 1), and nothing outside the backup is read into the
 * restore or changed around it.
 */

const MANIFEST = 'crx-backup-manifest.jsonl';
const CONF = 'crx-quickstart/conf/sling.properties';
let good: string;

beforeAll(async () => {
	const root = fs.realpathSync(tempDir('crx-hostile-dir-'));
	const {install} = makeInstall(root);
	good = path.join(root, 'good');
	expect((await runCli(['backup', '--repo', install, '--target', good], {env: stateEnv(root)})).code).toBe(0);
	return () => fs.rmSync(root, {recursive: true, force: true});
});

type Line = Record<string, unknown>;

/** A copy of the good backup in `root`, its manifest lines passed through `edit`. */
function copyOf(root: string, edit: (lines: Line[]) => Line[] = lines => lines): string {
	const copy = path.join(root, 'backups', 'night');
	fs.cpSync(good, copy, {recursive: true, preserveTimestamps: true});
	const file = path.join(copy, MANIFEST);
	const [header, ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as Line);
	fs.writeFileSync(file, [header, ...edit(lines)].map(line => JSON.stringify(line)).join('\n') + '\n');
	return copy;
}

/** A secret beside the restore folder, as /etc/shadow would be. */
function secret(sibling: string): string {
	fs.writeFileSync(path.join(sibling, 'shadow'), 'root:secret\n');
	return path.join(sibling, 'shadow');
}

type Case = [what: string, attack: (root: string, sibling: string) => string, sentence: RegExp];

const cases: Case[] = [
	['crx-quickstart/repository a link to a folder elsewhere, the manifest naming a file below it without size or CRC', (root, sibling) => {
		secret(sibling);
		const copy = copyOf(root, lines => [...lines, {path: 'crx-quickstart/repository/shadow', type: 'file', mode: 0o777, mtimeMs: 0}]
			.sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1)));
		fs.rmSync(path.join(copy, 'crx-quickstart/repository'), {recursive: true});
		fs.symlinkSync(sibling, path.join(copy, 'crx-quickstart/repository'));
		return copy;
	}, /crx-quickstart\/repository is a symbolic link in the backup/],
	['a file swapped for a link to a secret', (root, sibling) => {
		const target = secret(sibling);
		const copy = copyOf(root);
		fs.rmSync(path.join(copy, CONF));
		fs.symlinkSync(target, path.join(copy, CONF));
		return copy;
	}, /crx-quickstart\/conf\/sling\.properties is a symbolic link in the backup/],
	['a folder the manifest does not name, swapped for a link, a file below it named', (root, sibling) => {
		secret(sibling);
		const copy = copyOf(root, lines => lines.filter(line => line.path !== 'crx-quickstart/conf').map(line => (line.path === CONF ? {...line, path: 'crx-quickstart/conf/shadow'} : line)));
		fs.rmSync(path.join(copy, 'crx-quickstart/conf'), {recursive: true});
		fs.symlinkSync(sibling, path.join(copy, 'crx-quickstart/conf'));
		return copy;
	}, /crx-quickstart\/conf is a symbolic link in the backup/],
	// crx-quickstart itself a link: `find` already says "not a backup" (exit 2) before restore or verify look inside.
	['a manifest entry without size and CRC', root => copyOf(root, lines => lines.map(line => (line.path === CONF ? {...line, size: undefined, crc32: undefined} : line))), /sling\.properties has no size or CRC-32 in the manifest/],
	['a manifest path with ..', (root, sibling) => {
		secret(sibling);
		return copyOf(root, lines => [{path: 'crx-quickstart/../../../area/sibling/shadow', type: 'file', size: 12, crc32: '00000000', mode: 0o644, mtimeMs: 0}, ...lines]);
	}, /not a plain path/],
	['a manifest path outside crx-quickstart', root => copyOf(root, lines => [{path: 'elsewhere', type: 'dir', mode: 0o755, mtimeMs: 0}, ...lines]), /lies outside crx-quickstart/],
	['a manifest naming a file twice', root => copyOf(root, lines => lines.flatMap(line => (line.path === CONF ? [line, line] : [line]))), /sling\.properties appears twice/],
	['a manifest with a type it never writes', root => copyOf(root, lines => lines.map(line => (line.path === CONF ? {...line, type: 'symlink'} : line))), /has type "symlink" in the manifest/],
];

describe('a hostile directory backup', () => {
	for (const [what, attack, sentence] of cases) {
		test(what, async () => {
			const root = faultDir('crx-hostile-dir-');
			const {sibling, to, area} = sentinelArea(root);
			const backup = attack(root, sibling);
			const before = treeDigest(area);
			expect(await expectRefusedAlike(backup, to, stateEnv(root))).toMatch(sentence);
			expect(treeDigest(area)).toEqual(before);
		});
	}

	test('AEM\'s own directory backup (no manifest) holding a link out of crx-quickstart is refused by restore', async () => {
		const root = faultDir('crx-hostile-dir-');
		const {to, unchanged} = sentinelArea(root);
		const copy = path.join(root, 'backups', 'aem');
		fs.cpSync(path.join(good, 'crx-quickstart'), path.join(copy, 'crx-quickstart'), {recursive: true});
		fs.symlinkSync('../../../area/sibling', path.join(copy, 'crx-quickstart/out'));
		const result = await runCli(['restore', copy, '--to', to], {env: stateEnv(root)});
		expect(result.code, result.stderr).toBe(2);
		expect(result.stderr).toMatch(/crx-quickstart\/out is a symbolic link to \.\.\/\.\.\/\.\.\/area\/sibling, which leads outside crx-quickstart/);
		expect(fs.existsSync(to)).toBe(false);
		unchanged();
	});
});

describe('manifest lines and memory', () => {
	test('a 200 MB manifest line is refused in one sentence without reading it into memory', async () => {
		const root = faultDir('crx-hostile-dir-');
		const copy = copyOf(root);
		const file = path.join(copy, MANIFEST);
		const [header, ...rest] = fs.readFileSync(file, 'utf8').split('\n');
		const fd = fs.openSync(file, 'w');
		fs.writeSync(fd, `${header}\n{"path":"crx-quickstart/x","pad":"`);
		const block = Buffer.alloc(4 << 20, 0x61);
		for (let written = 0; written < 200 << 20; written += block.length) fs.writeSync(fd, block);
		fs.writeSync(fd, `"}\n${rest.join('\n')}`);
		fs.closeSync(fd);
		const env = stateEnv(root);
		const verified = await runCliMeasured(['verify', copy, '--json'], {env});
		expect(verified.code, verified.stderr).toBe(1);
		expect(verified.stdout).toMatch(/a line of the manifest is longer than 64 KiB/);
		const to = path.join(root, 'to');
		const restored = await runCliMeasured(['restore', copy, '--to', to], {env});
		expect(restored.code).toBe(1);
		expect(restored.stderr.split('\n').filter(line => line.startsWith('crx-backup:'))).toEqual([expect.stringMatching(/damaged manifest \(a line of the manifest is longer than 64 KiB\); nothing was restored\.$/)]);
		expect(fs.existsSync(to)).toBe(false);
		for (const run of [verified, restored]) expect(run.peakRssKiB).toBeLessThan(150 * 1024);
	});
});
