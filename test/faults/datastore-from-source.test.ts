import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {errorLines, faultDir, stateEnv, treeDigest} from '../support/faults.js';

/**
 * A zip backup reads the datastore's blobs straight from the source into the zip
 * (they are immutable and content-addressed) instead of staging them; each blob
 * must still have the size and CRC-32 the last stage recorded. The freeze and
 * thaw hooks run just before and just after stage 4, so they can look at the
 * staging folder then, and play the part of something that touches a blob
 * between stage 4 and the zip step (which nothing should: see the seed on
 * datastore garbage collection).
 */
function setUp() {
	const root = faultDir('crx-datastore-');
	const {install, quickstart} = makeInstall(root);
	const blobs = execFileSync('find', [path.join(quickstart, 'repository', 'datastore'), '-type', 'f'], {encoding: 'utf8'}).trim().split('\n').sort();
	return {root, install, quickstart, blobs, env: stateEnv(root), zip: path.join(root, 'night.zip')};
}

test('the staging folder holds the segment store but no datastore blob, and the zip holds every blob byte for byte', async () => {
	const {root, install, quickstart, blobs, env, zip} = setUp();
	const before = treeDigest(install);
	const seen = path.join(root, 'staged.txt');
	// Run at stage 4: files under the staging folder (`night.<hex>.temp/`), by part of the repository.
	const freeze = `find ${JSON.stringify(root)} -path '*.temp/crx-quickstart/*' -type f > ${JSON.stringify(seen)}`;
	const result = await runCli(['backup', '--repo', install, '--target', zip, '--freeze-cmd', freeze, '--thaw-cmd', 'true', '--json'], {env});
	expect(result.code, result.stderr).toBe(0);
	const staged = fs.readFileSync(seen, 'utf8').trim().split('\n');
	expect(staged.some(file => file.endsWith('/repository/segmentstore/data00000a.tar'))).toBe(true);
	expect(staged.filter(file => file.includes('/repository/datastore/'))).toEqual([]);
	expect(blobs).toHaveLength(12);
	for (const blob of blobs) {
		const name = path.relative(path.dirname(quickstart), blob);
		expect(execFileSync('unzip', ['-p', zip, name]).equals(fs.readFileSync(blob)), name).toBe(true);
	}
	expect(execFileSync('unzip', ['-tq', zip], {encoding: 'utf8'})).toMatch(/No errors detected/);
	expect(treeDigest(install)).toEqual(before);
	expect(fs.readdirSync(root).sort()).toEqual(['AEM', 'night.zip', 'staged.txt', 'state']);
});

const changes: Array<[string, (blob: string) => string, RegExp]> = [
	// Same size, other bytes: only the CRC-32 tells.
	['rewritten in place', blob => `printf 'XY' | dd of=${JSON.stringify(blob)} bs=1 seek=100 conv=notrunc 2>/dev/null`, /changed after the last stage read it/],
	['deleted', blob => `rm ${JSON.stringify(blob)}`, /vanished after the last stage read it/],
	['replaced by a FIFO', blob => `rm ${JSON.stringify(blob)} && mkfifo ${JSON.stringify(blob)}`, /no longer a regular file/],
];

for (const [what, change, message] of changes) {
	test(`a datastore blob ${what} after stage 4 fails the zip backup with one sentence naming it, and leaves nothing`, async () => {
		const {root, install, blobs, env, zip} = setUp();
		const blob = blobs[5]!;
		const result = await runCli(['backup', '--repo', install, '--target', zip, '--freeze-cmd', 'true', '--thaw-cmd', change(blob), '--json'], {env});
		expect(result.code, result.stderr).toBe(1);
		const lines = errorLines(result);
		expect(lines, result.stderr).toHaveLength(1);
		expect(lines[0]).toMatch(message);
		expect(lines[0]).toContain(blob);
		expect(result.stdout).toBe('');
		// No zip, no .partial, no staging folder; the lock is released.
		expect(fs.readdirSync(root).sort()).toEqual(['AEM', 'state']);
		expect(fs.readdirSync(path.join(root, 'state')).filter(name => !name.endsWith('.last-run.json'))).toEqual([]);
	});
}

test('files in the datastore that are not content-addressed records (Oak temp files) are staged: changed or gone after stage 4, the zip holds them as stage 4 saw them', async () => {
	const {root, install, quickstart, blobs, env, zip} = setUp();
	const datastore = path.join(quickstart, 'repository', 'datastore');
	// Oak writes a new blob as a temp file in the datastore root and renames it to its digest when complete.
	const temp = path.join(datastore, 'tmp4711.tmp');
	fs.writeFileSync(temp, 'half of a new blob');
	// A digest folder holding a name that is not its digest, and a record-looking name in the wrong folder.
	const stray = path.join(path.dirname(blobs[3]!), 'notes.txt');
	fs.writeFileSync(stray, 'not a record');
	const misplaced = path.join(datastore, 'ff', 'ff', 'ff', path.basename(blobs[4]!));
	fs.mkdirSync(path.dirname(misplaced), {recursive: true});
	fs.writeFileSync(misplaced, 'not where its digest says');
	const seen = path.join(root, 'staged.txt');
	const freeze = `find ${JSON.stringify(root)} -path '*.temp/crx-quickstart/repository/datastore/*' -type f | sort > ${JSON.stringify(seen)}`;
	// Between stage 4 and the zip step: the temp file is renamed away, the others rewritten with other sizes.
	const thaw = `mv ${JSON.stringify(temp)} ${JSON.stringify(`${temp}.done`)} && echo changed > ${JSON.stringify(stray)} && echo changed > ${JSON.stringify(misplaced)}`;
	const result = await runCli(['backup', '--repo', install, '--target', zip, '--freeze-cmd', freeze, '--thaw-cmd', thaw, '--json'], {env});
	expect(result.code, result.stderr).toBe(0);
	const staged = fs.readFileSync(seen, 'utf8').trim().split('\n').map(file => file.slice(file.indexOf('/crx-quickstart/') + 1));
	const name = (file: string) => path.relative(path.dirname(quickstart), file);
	expect(staged).toEqual([name(stray), name(misplaced), name(temp)].sort());
	expect(execFileSync('unzip', ['-p', zip, name(temp)], {encoding: 'utf8'})).toBe('half of a new blob');
	expect(execFileSync('unzip', ['-p', zip, name(stray)], {encoding: 'utf8'})).toBe('not a record');
	expect(execFileSync('unzip', ['-p', zip, name(misplaced)], {encoding: 'utf8'})).toBe('not where its digest says');
	for (const blob of blobs) expect(execFileSync('unzip', ['-p', zip, name(blob)]).equals(fs.readFileSync(blob)), blob).toBe(true);
	expect(execFileSync('unzip', ['-tq', zip], {encoding: 'utf8'})).toMatch(/No errors detected/);
	expect(fs.readdirSync(root).sort()).toEqual(['AEM', 'night.zip', 'staged.txt', 'state']);
});
