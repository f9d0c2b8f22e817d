import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {generateRepository} from '../../source/demo/generate.js';
import {crxBackup} from '../support/catalog-run.js';
import {snapshot, tempDir} from '../support/catalog-helpers.js';

/** The source tree as a restore gives it back: repository/index and repository/cache are always left out, a running AEM's cq.pid and repo.lock are not restored. */
function expectedTree(quickstart: string): Record<string, string> {
	const tree = snapshot(quickstart);
	for (const key of Object.keys(tree)) {
		if (/^repository\/(index|cache)(\/|$)/.test(key) || key === 'conf/cq.pid' || key === 'repository/segmentstore/repo.lock') delete tree[key];
	}
	return tree;
}

describe('backup → verify → restore round trip', () => {
	for (const kind of ['zip', 'directory'] as const) {
		it(`gives back the source tree, modes included (${kind})`, async () => {
			const root = tempDir();
			const install = path.join(root, 'AEM');
			const {quickstart} = await generateRepository(install, {sizeBytes: 3 * 1024 * 1024, seed: 7});
			const target = path.join(root, kind === 'zip' ? 'nightly.zip' : 'nightly');

			const backup = await crxBackup(['backup', '--repo', install, '--target', target, '--json']);
			expect(backup.stderr.split('\n').filter(line => line.startsWith('crx-backup:'))).toEqual([]);
			expect(backup.code).toBe(0);

			const listed = await crxBackup(['list', '--repo', install, '--json']);
			expect((JSON.parse(listed.stdout) as Array<{path: string; status: string}>).map(record => [record.path, record.status]))
				.toEqual([[target, 'complete']]);

			const verified = await crxBackup(['verify', path.basename(target), '--repo', install, '--json']);
			expect(JSON.parse(verified.stdout)).toMatchObject({ok: true, problems: []});
			expect(verified.code).toBe(0);

			const to = path.join(tempDir(), 'restored');
			const restored = await crxBackup(['restore', target, '--to', to, '--json']);
			expect(restored.code).toBe(0);
			expect(JSON.parse(restored.stdout)).toMatchObject({to, madeExecutable: [], deletedIndex: false});
			expect(snapshot(path.join(to, 'crx-quickstart'))).toEqual(expectedTree(quickstart));
		});
	}
});
