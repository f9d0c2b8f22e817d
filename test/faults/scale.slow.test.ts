import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {faultDir, randomInstall, runCliMeasured, stateEnv} from '../support/faults.js';

const FILES = 100_000;
const LIMIT_KIB = 150 * 1024;

// Measured as an operator's `crx-backup` runs, with the shebang's node flags (runCliMeasured). Without them V8's
// default 16 MiB semi-spaces alone made the zip commands of this tree peak at 130–163 MiB.
test(`${FILES.toLocaleString('en')} files: every command (backup, re-sync, list, verify and restore, directory and zip) stays within 150 MiB peak RSS`, async () => {
	const root = faultDir('crx-scale-');
	const env = stateEnv(root);
	const {install, quickstart} = randomInstall(root, []);
	const blobs = path.join(quickstart, 'repository', 'datastore');
	for (let folder = 0; folder < FILES / 100; folder++) {
		const dir = path.join(blobs, folder.toString(16).padStart(2, '0').slice(0, 2), folder.toString(16).padStart(4, '0'));
		fs.mkdirSync(dir, {recursive: true});
		for (let file = 0; file < 100; file++) fs.writeFileSync(path.join(dir, `${folder.toString(16)}${file.toString(16).padStart(36, '0')}`), `r${folder}-${file}`);
	}
	const backups = path.join(root, 'backups');
	fs.mkdirSync(backups); // A backup never makes the folders above its target.
	const target = path.join(backups, 'night');
	const zip = path.join(backups, 'night.zip');
	const peaks: Record<string, number> = {};
	const measured = async (what: string, args: string[]) => {
		const result = await runCliMeasured([...args, '--json'], {env});
		expect(result.code, `${what}: ${result.stderr}`).toBe(0);
		peaks[what] = result.peakRssKiB;
		return JSON.parse(result.stdout) as unknown;
	};

	const first = await measured('directory backup', ['backup', '--repo', install, '--target', target]) as {files: number};
	expect(first.files).toBe(FILES);
	const resync = await measured('directory re-sync', ['backup', '--repo', install, '--target', target]) as {stages: Array<{files: number}>};
	expect(resync.stages.reduce((sum, stage) => sum + stage.files, 0)).toBe(0); // Nothing changed, nothing copied.
	expect(await measured('directory verify', ['verify', target])).toMatchObject({ok: true});
	await measured('directory restore', ['restore', target, '--to', path.join(root, 'from-dir')]);
	expect(fs.readdirSync(path.join(root, 'from-dir', 'crx-quickstart', 'repository', 'datastore'))).toHaveLength(fs.readdirSync(blobs).length);
	fs.rmSync(path.join(root, 'from-dir'), {recursive: true});

	const zipped = await measured('zip backup', ['backup', '--repo', install, '--target', zip]) as {files: number};
	expect(zipped.files).toBe(FILES);
	expect(await measured('zip verify', ['verify', zip])).toMatchObject({ok: true});
	await measured('zip restore', ['restore', zip, '--to', path.join(root, 'from-zip')]);
	expect(fs.readdirSync(path.join(root, 'from-zip', 'crx-quickstart', 'repository', 'datastore'))).toHaveLength(fs.readdirSync(blobs).length);
	fs.rmSync(path.join(root, 'from-zip'), {recursive: true});

	const listed = await measured('list', ['list', '--dir', backups]);
	expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({path: target, status: 'complete'}), expect.objectContaining({path: zip, status: 'complete'})]));
	console.log(`scale: ${FILES} files; peak RSS: ${Object.entries(peaks).map(([what, kib]) => `${what} ${Math.round(kib / 1024)} MiB`).join(', ')}`);
	for (const [what, kib] of Object.entries(peaks)) expect.soft(kib, `${what} peaked at ${Math.round(kib / 1024)} MiB`).toBeLessThan(LIMIT_KIB);
}, 3_600_000);
