import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {runBackup} from '../../../source/engine/backup/run.js';
import {resolveRepository, resolveTarget} from '../../../source/engine/backup/repository.js';
import {restore} from '../../../source/engine/restore/run.js';
import {describeTree, makeInstall, tempDir} from '../../support/trees.js';

let root: string;
beforeEach(() => {
	root = tempDir();
	process.env.CRX_BACKUP_STATE_DIR = path.join(root, 'state');
});
afterEach(() => {
	fs.chmodSync(path.join(root, 'AEM', 'crx-quickstart', 'conf', 'locked'), 0o755);
	fs.rmSync(root, {recursive: true, force: true});
});

/**
 * A restore of our backups (entries in path order) finishes each folder's mode
 * and mtime as soon as the entries leave it, instead of holding every folder to
 * the end (a record per folder: a million folders would not fit in 150 MiB).
 * Seen from inside the restore: while files after `bin/` are written, `bin/`
 * in the staging folder already has its own mode and mtime. A folder that its
 * owner could not write in (0555) keeps a writable mode until the end, so a
 * failed restore can still remove its staging folder; in the end every folder
 * has the mode and mtime it had.
 */
for (const kind of ['zip', 'directory'] as const) {
	test(`a restore of a ${kind} backup finishes each folder when the entries leave it, and read-only ones last`, async () => {
		const {install, quickstart} = makeInstall(root);
		const bin = path.join(quickstart, 'bin');
		fs.chmodSync(bin, 0o750);
		const locked = path.join(quickstart, 'conf', 'locked');
		fs.mkdirSync(locked);
		fs.writeFileSync(path.join(locked, 'keep.txt'), 'inside a read-only folder\n');
		fs.chmodSync(locked, 0o555);
		for (const [folder, seconds] of [[bin, 1_600_000_000], [locked, 1_600_000_100], [path.join(quickstart, 'repository'), 1_600_000_200]] as const) fs.utimesSync(folder, seconds, seconds);
		const repository = await resolveRepository(install);
		const backup = path.join(root, kind === 'zip' ? 'b.zip' : 'b');
		await runBackup({repository, target: resolveTarget(repository, backup), delayMs: 0});

		const to = path.join(root, 'restored');
		const seen: Array<{file: string; bin?: fs.Stats; locked?: fs.Stats}> = [];
		await restore({
			backup, to, onEvent: event => {
				if (event.type !== 'progress' || event.step !== 'extract' || !event.file) return;
				const staging = fs.readdirSync(root).find(name => name.endsWith('.restoring'))!;
				const staged = (rel: string) => fs.statSync(path.join(root, staging, 'crx-quickstart', rel), {throwIfNoEntry: false});
				seen.push({file: event.file, bin: staged('bin'), locked: staged('conf/locked')});
			},
		});
		// Files after bin/ in path order (conf/…, install/…, logs/…): bin/ is finished by then.
		const later = seen.filter(sample => /^crx-quickstart\/(conf|install|logs|repository)\//.test(sample.file));
		expect(later.length).toBeGreaterThan(0);
		for (const sample of later) {
			expect(sample.bin!.mode & 0o777, sample.file).toBe(0o750);
			expect(sample.bin!.mtimeMs, sample.file).toBe(1_600_000_000_000);
		}
		// The read-only folder stays writable (and its mtime unset) while the extract runs.
		const lockedSeen = seen.filter(sample => sample.locked);
		expect(lockedSeen.length).toBeGreaterThan(0);
		for (const sample of lockedSeen) expect(sample.locked!.mode & 0o200, sample.file).toBe(0o200);

		const restored = path.join(to, 'crx-quickstart');
		// Folder modes, and mtimes to the second (a zip's extended timestamp holds whole seconds).
		const folders = (base: string) => Object.fromEntries([...describeTree(base, {skip: ['repository/index', 'repository/cache']})]
			.filter(([, info]) => info.type === 'dir')
			.map(([rel, info]) => [rel, [info.mode, Math.floor(fs.statSync(path.join(base, rel)).mtimeMs / 1000)]]));
		expect(folders(restored)).toEqual(folders(quickstart));
		expect(fs.statSync(path.join(restored, 'conf', 'locked')).mode & 0o777).toBe(0o555);
		fs.chmodSync(path.join(restored, 'conf', 'locked'), 0o755);
	});
}
