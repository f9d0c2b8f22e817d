import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {faultDir, randomInstall, stateEnv} from '../support/faults.js';

/** Reads every entry through Python's zipfile (CRC checked at the end of each), printing the count and the biggest size. */
const pythonCheck = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    infos = z.infolist()
    for info in infos:
        with z.open(info) as f:
            while f.read(1 << 22): pass
    print(len(infos), max(i.file_size for i in infos))
`;

test('a zip of over 65,535 entries (70,000 files): unzip -t, python zipfile and our verify read it whole', async () => {
	const root = faultDir('crx-many-');
	const {install, quickstart} = randomInstall(root, []);
	const blobs = path.join(quickstart, 'repository', 'datastore');
	for (let folder = 0; folder < 700; folder++) {
		const dir = path.join(blobs, folder.toString(16).padStart(3, '0'));
		fs.mkdirSync(dir, {recursive: true});
		for (let file = 0; file < 100; file++) fs.writeFileSync(path.join(dir, `r${file}`), `record ${folder}/${file}\n`);
	}
	const zip = path.join(root, 'many.zip');
	const backup = await runCli(['backup', '--repo', install, '--target', zip, '--json'], {env: stateEnv(root)});
	expect(backup.code, backup.stderr).toBe(0);
	expect((JSON.parse(backup.stdout) as {files: number}).files).toBe(70_000);
	const [entries] = execFileSync('python3', ['-c', pythonCheck, zip], {encoding: 'utf8'}).trim().split(' ').map(Number);
	expect(entries).toBeGreaterThan(70_000); // Files, folders and the manifest.
	expect(execFileSync('unzip', ['-tq', zip], {encoding: 'utf8'})).toMatch(/No errors detected/);
	// Our reader finds the Zip64 end record (the 16-bit entry count overflows) and checks every entry.
	const verified = await runCli(['verify', zip, '--json'], {env: stateEnv(root)});
	expect(verified.code, verified.stdout).toBe(0);
	expect(JSON.parse(verified.stdout)).toMatchObject({ok: true, files: 70_000});
}, 480_000);

test('an entry over 4 GiB (a sparse source file): zip backup, restore equal, unzip -t and python read it', async () => {
	const root = faultDir('crx-huge-');
	const {install, quickstart} = randomInstall(root, [['conf/small.txt', 100]]);
	const huge = path.join(quickstart, 'repository', 'datastore', 'huge.bin');
	fs.mkdirSync(path.dirname(huge), {recursive: true});
	const size = 4 * 1024 ** 3 + 3 * 1024 ** 2 + 17; // Past 4 GiB, and not a round number.
	const fd = fs.openSync(huge, 'w');
	// Marks at the start, across 2 GiB and 4 GiB (where 32-bit offsets wrap) and at the very end; holes between.
	for (const at of [0, 2 * 1024 ** 3 - 3, 4 * 1024 ** 3 - 5, size - 9]) fs.writeSync(fd, Buffer.from(`mark@${at}`.padEnd(9).slice(0, 9)), 0, 9, at);
	fs.ftruncateSync(fd, size);
	fs.closeSync(fd);
	const zip = path.join(root, 'huge.zip');
	const backup = await runCli(['backup', '--repo', install, '--target', zip], {env: stateEnv(root)});
	expect(backup.code, backup.stderr).toBe(0);
	const [, biggest] = execFileSync('python3', ['-c', pythonCheck, zip], {encoding: 'utf8'}).trim().split(' ').map(Number);
	expect(biggest).toBe(size);
	expect(execFileSync('unzip', ['-tq', zip], {encoding: 'utf8'})).toMatch(/No errors detected/);
	const to = path.join(root, 'restored');
	const restored = await runCli(['restore', zip, '--to', to], {env: stateEnv(root)});
	expect(restored.code, restored.stderr).toBe(0);
	const back = path.join(to, 'crx-quickstart', 'repository', 'datastore', 'huge.bin');
	expect(fs.statSync(back).size).toBe(size);
	execFileSync('cmp', [huge, back]); // Throws on the first differing byte.
}, 600_000);
