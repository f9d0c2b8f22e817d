import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {generateRepository} from '../../../source/demo/generate.js';
import {startLiveWriter, type LiveWriter} from '../../../source/demo/live-writer.js';
import {runCli} from '../../support/cli.js';
import {minSharedFiles} from '../../../source/engine/backup/capture-queue.js';
import {contentOf, describeTree, tempDir} from '../../support/trees.js';

let root: string;
let writer: LiveWriter | undefined;

beforeEach(() => {
	root = tempDir('crx-churn-');
});
afterEach(async () => {
	await writer?.stop();
	writer = undefined;
	fs.rmSync(root, {recursive: true, force: true});
});

const excluded = ['repository/index', 'repository/cache'];
/** Datastore records enough for stage 1 to share its copies with the helper thread (see CaptureQueue). */
const sharedRecords = minSharedFiles + 1000;

/**
 * The freeze command pauses the live writer, then copies the source as it is
 * while writes are blocked: that copy is what the backup must equal, byte for byte.
 */
async function backupUnderLoad(target: string, intensity: 'normal' | 'full', records = 0) {
	const install = path.join(root, 'AEM');
	const {quickstart} = await generateRepository(install, {sizeBytes: 24 * 1024 * 1024, seed: 7, records});
	writer = await startLiveWriter({quickstart, controlDir: path.join(root, 'control'), intensity});
	const snapshot = path.join(root, 'snapshot');
	const freeze = `${writer.freezeCmd} && cp -a "$CRX_BACKUP_REPO" ${JSON.stringify(snapshot)}`;
	const result = await runCli(['backup', '--repo', install, '--target', target, '--freeze-cmd', freeze, '--thaw-cmd', writer.thawCmd, '--json'], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state')}});
	expect(result.stderr).not.toMatch(/✖/);
	expect(result.code, result.stderr).toBe(0);
	const stats = await writer.stop();
	writer = undefined;
	expect(stats.operations).toBeGreaterThan(10);
	return {summary: JSON.parse(result.stdout), snapshot, quickstart};
}

describe('a backup under a live writer equals the source as it was during the freeze', () => {
	test('directory backup', async () => {
		const {summary, snapshot} = await backupUnderLoad('live-dir', 'normal', sharedRecords);
		const copy = describeTree(path.join(root, 'live-dir', 'crx-quickstart'));
		expect(contentOf(copy)).toEqual(contentOf(describeTree(snapshot, {skip: excluded})));
		expect(summary.stages[1].files + summary.stages[2].files + summary.stages[3].files).toBeGreaterThan(0);
	});

	test('zip backup', async () => {
		const {summary, snapshot} = await backupUnderLoad('live.zip', 'normal', sharedRecords);
		const out = path.join(root, 'unzipped');
		execFileSync('unzip', ['-q', path.join(root, 'live.zip'), '-d', out]);
		const restored = describeTree(path.join(out, 'crx-quickstart'));
		const expected = describeTree(snapshot, {skip: excluded});
		expect(contentOf(restored)).toEqual(contentOf(expected));
		for (const [rel, info] of expected) if (info.type === 'file') expect(restored.get(rel)!.mode, rel).toBe(info.mode);
		expect(summary.zipBytes).toBe(fs.statSync(path.join(root, 'live.zip')).size);
	});

	test('heavy churn: the writer at full speed, both kinds', async () => {
		for (const target of ['churn-dir', 'churn.zip']) {
			const {snapshot} = await backupUnderLoad(target, 'full');
			const tree = target.endsWith('.zip')
				? (execFileSync('unzip', ['-q', path.join(root, target), '-d', path.join(root, 'x')]), path.join(root, 'x', 'crx-quickstart'))
				: path.join(root, target, 'crx-quickstart');
			expect(contentOf(describeTree(tree))).toEqual(contentOf(describeTree(snapshot, {skip: excluded})));
			fs.rmSync(snapshot, {recursive: true, force: true});
			fs.rmSync(path.join(root, 'AEM'), {recursive: true, force: true});
			fs.rmSync(path.join(root, 'x'), {recursive: true, force: true});
		}
	});
});
