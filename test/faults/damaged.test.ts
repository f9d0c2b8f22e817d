import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {stateEnv} from '../support/faults.js';

/**
 * Damage a real backup (one our backup made) and check that verify names the
 * problem with exit 1, and that restore refuses with nothing written: the
 * restore folder absent and nothing beside it.
 */
let root: string;
let zip: string;
let dir: string;
const TAR = 'crx-quickstart/repository/segmentstore/data00000a.tar';
const CONF = 'crx-quickstart/conf/sling.properties';

beforeAll(async () => {
	root = fs.realpathSync(tempDir('crx-damaged-'));
	const {install} = makeInstall(root);
	zip = path.join(root, 'good.zip');
	dir = path.join(root, 'good');
	for (const target of [zip, dir]) expect((await runCli(['backup', '--repo', install, '--target', target], {env: stateEnv(root)})).code).toBe(0);
	return () => fs.rmSync(root, {recursive: true, force: true});
});

/** A damaged copy of the good zip, or of the good directory backup. */
function damagedZip(name: string, damage: (data: Buffer) => Buffer): string {
	const file = path.join(root, 'bad', `${name}.zip`);
	fs.mkdirSync(path.dirname(file), {recursive: true});
	fs.writeFileSync(file, damage(fs.readFileSync(zip)));
	return file;
}

function damagedDirectory(name: string, damage: (copy: string) => void): string {
	const copy = path.join(root, 'bad', name);
	fs.cpSync(dir, copy, {recursive: true, preserveTimestamps: true});
	damage(copy);
	return copy;
}

/** Offset of the central-directory record of `entry`. */
function centralRecord(data: Buffer, entry: string): number {
	for (let at = data.indexOf('PK\u0001\u0002'); at !== -1; at = data.indexOf('PK\u0001\u0002', at + 4)) {
		const nameLength = data.readUInt16LE(at + 28);
		if (data.subarray(at + 46, at + 46 + nameLength).toString() === entry) return at;
	}
	throw new Error(`no central record for ${entry}`);
}

/** Rebuilds the zip with python's zipfile, the manifest line of `entry` edited: what a manifest that does not match looks like. */
function rebuildWithManifest(file: string, entry: string, edit: Record<string, unknown>): void {
	execFileSync('python3', ['-c', `
import json, sys, zipfile
src, dst, entry, edit = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w') as zout:
    for info in zin.infolist():
        data = zin.read(info)
        if info.filename == 'crx-backup-manifest.jsonl':
            lines = data.decode().split('\\n')
            for i, line in enumerate(lines):
                if line and json.loads(line).get('path') == entry:
                    record = json.loads(line); record.update(edit); lines[i] = json.dumps(record, separators=(',', ':'))
            data = '\\n'.join(lines).encode()
        info.extra = b''
        zout.writestr(info, data, compress_type=info.compress_type)
`, zip, file, entry, JSON.stringify(edit)]);
}

function editDirectoryManifest(copy: string, entry: string, edit: Record<string, unknown>): void {
	const file = path.join(copy, 'crx-backup-manifest.jsonl');
	const lines = fs.readFileSync(file, 'utf8').split('\n').map(line => {
		if (!line || (JSON.parse(line) as {path?: string}).path !== entry) return line;
		return JSON.stringify({...JSON.parse(line), ...edit});
	});
	fs.writeFileSync(file, lines.join('\n'));
}

async function expectVerifyNames(backup: string, what: RegExp): Promise<void> {
	const result = await runCli(['verify', backup, '--json'], {env: stateEnv(root)});
	expect(result.code, `${result.stderr}${result.stdout}`).toBe(1);
	expect(result.stdout, result.stderr).not.toBe('');
	const report = JSON.parse(result.stdout) as {ok: boolean; problems: Array<{path: string; problem: string}>};
	expect(report.ok).toBe(false);
	expect(report.problems.map(problem => `${problem.path}: ${problem.problem}`).join('\n')).toMatch(what);
}

async function expectRestoreRefuses(backup: string): Promise<void> {
	const parent = path.join(root, 'restores', path.basename(backup));
	fs.mkdirSync(parent, {recursive: true});
	const to = path.join(parent, 'restored');
	const result = await runCli(['restore', backup, '--to', to], {env: stateEnv(root)});
	expect(result.code, `restore of ${backup} should fail:\n${result.stderr}`).not.toBe(0);
	expect(result.stderr.split('\n').filter(line => line.startsWith('crx-backup:'))).toHaveLength(1);
	expect(fs.readdirSync(parent)).toEqual([]); // Nothing restored, no staging folder left beside it.
}

describe('a damaged zip', () => {
	const cases: Array<[string, (data: Buffer) => Buffer, RegExp]> = [
		['cut in half', data => data.subarray(0, data.length >> 1), /cannot be read as a zip|damaged/],
		['missing its last 10 bytes (the end record cut)', data => data.subarray(0, data.length - 10), /cannot be read as a zip|damaged/],
		['missing its whole central directory', data => data.subarray(0, data.indexOf('PK\u0001\u0002')), /cannot be read as a zip|damaged/],
		['with a central record whose signature is broken', data => {
			data[centralRecord(data, CONF)] = 0x51;
			return data;
		}, /central directory|damaged/],
		['with a wrong CRC in the central directory', data => {
			const at = centralRecord(data, TAR);
			data.writeUInt32LE((data.readUInt32LE(at + 16) ^ 0xdead) >>> 0, at + 16);
			return data;
		}, new RegExp(`${TAR}: .*CRC`)],
		['with a wrong local-header offset in the central directory', data => {
			const at = centralRecord(data, CONF);
			data.writeUInt32LE(data.readUInt32LE(at + 42) + 7, at + 42);
			return data;
		}, /local file header|damaged/],
		['with a flipped byte in the middle of an entry\'s data', data => {
			const at = centralRecord(data, TAR);
			const local = data.readUInt32LE(at + 42);
			const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
			data[start + 1000]! ^= 0xff;
			return data;
		}, new RegExp(TAR.replaceAll('/', '\\/'))],
	];
	for (const [what, damage, problem] of cases) {
		test(what, async () => {
			const bad = damagedZip(what.replace(/\W+/g, '-'), damage);
			await expectVerifyNames(bad, problem);
			await expectRestoreRefuses(bad);
		});
	}

	for (const [what, edit, problem] of [
		['a size', {size: 12345}, /size is \d+ bytes, the manifest says 12345/],
		['a CRC', {crc32: '00c0ffee'}, /the manifest says 00c0ffee/],
	] as const) {
		test(`whose manifest disagrees with it on ${what}`, async () => {
			const bad = path.join(root, 'bad', `manifest-${what.replace(/\W+/g, '-')}.zip`);
			fs.mkdirSync(path.dirname(bad), {recursive: true});
			rebuildWithManifest(bad, TAR, edit);
			await expectVerifyNames(bad, new RegExp(`${TAR}: .*${problem.source}`));
			await expectRestoreRefuses(bad);
		});
	}
});

describe('a damaged directory backup', () => {
	for (const [what, edit, problem] of [
		['a size', {size: 12345}, /size is \d+ bytes, the manifest says 12345/],
		['a CRC', {crc32: '00c0ffee'}, /the manifest says 00c0ffee/],
	] as const) {
		test(`whose manifest disagrees with it on ${what}`, async () => {
			const bad = damagedDirectory(`manifest-${what.replace(/\W+/g, '-')}`, copy => editDirectoryManifest(copy, TAR, edit));
			await expectVerifyNames(bad, new RegExp(`${TAR}: .*${problem.source}`));
			await expectRestoreRefuses(bad);
		});
	}

	test('with a file cut short', async () => {
		const bad = damagedDirectory('truncated', copy => fs.truncateSync(path.join(copy, TAR), 1000));
		await expectVerifyNames(bad, new RegExp(`${TAR}: size is 1000 bytes`));
		await expectRestoreRefuses(bad);
	});
});
