import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {faultDir, randomInstall, runCliMeasured, stateEnv} from '../support/faults.js';

const FILES = 200_000;
const LIMIT_KIB = 150 * 1024;

test(`${FILES.toLocaleString('en')} files: the no-change re-sync of a directory target and list stay within 150 MiB peak RSS`, async () => {
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
	const target = path.join(backups, 'night');
	const first = await runCli(['backup', '--repo', install, '--target', target, '--json'], {env});
	expect(first.code, first.stderr).toBe(0);
	expect((JSON.parse(first.stdout) as {files: number}).files).toBe(FILES);

	const resync = await runCliMeasured(['backup', '--repo', install, '--target', target, '--json'], {env});
	expect(resync.code, resync.stderr).toBe(0);
	const stages = (JSON.parse(resync.stdout) as {stages: Array<{files: number}>}).stages;
	expect(stages.reduce((sum, stage) => sum + stage.files, 0)).toBe(0); // Nothing changed, nothing copied.
	const listed = await runCliMeasured(['list', '--dir', backups, '--json'], {env});
	expect(listed.code).toBe(0);
	expect(JSON.parse(listed.stdout)).toMatchObject([{path: target, status: 'complete'}]);
	console.log(`scale: ${FILES} files; peak RSS: re-sync ${Math.round(resync.peakRssKiB / 1024)} MiB, list ${Math.round(listed.peakRssKiB / 1024)} MiB`);
	expect(resync.peakRssKiB).toBeLessThan(LIMIT_KIB);
	expect(listed.peakRssKiB).toBeLessThan(LIMIT_KIB);
}, 600_000);
