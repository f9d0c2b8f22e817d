import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {errorLines, faultDir, stateEnv, treeDigest} from '../support/faults.js';
import {addExternalDatastore, type ConfigPlace} from '../../source/demo/external-datastore.js';

/**
 * A FileDataStore outside crx-quickstart is part of every
 * backup (external-datastore/ beside crx-quickstart/, its original path in the
 * manifest), and a restore puts it back, byte for byte.
 */
function setUp(place: ConfigPlace) {
	const root = faultDir('crx-extds-');
	const {install, quickstart} = makeInstall(root);
	const datastore = path.join(root, 'mnt', 'datastore');
	const records = addExternalDatastore(quickstart, datastore, {place});
	return {root, install, quickstart, datastore, records, env: stateEnv(root)};
}

const content = (dir: string) => treeDigest(dir, {meta: false});
const manifestHeader = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'crx-backup-manifest.jsonl'), 'utf8').split('\n')[0]!);

const cases: Array<[ConfigPlace, 'directory' | 'zip']> = [['install', 'directory'], ['launchpad', 'zip']];

describe.each(cases)('configured in %s, a %s backup', (place, kind) => {
	test('holds the external datastore and restores it, byte for byte, to --datastore-to; verify covers it', async () => {
		const {root, install, quickstart, datastore, records, env} = setUp(place);
		const sourceBefore = content(install);
		const datastoreBefore = content(datastore);
		const target = path.join(root, kind === 'zip' ? 'night.zip' : 'night');
		const backup = await runCli(['backup', '--repo', install, '--target', target, '--json'], {env});
		expect(backup.code, backup.stderr).toBe(0);
		expect(content(install)).toEqual(sourceBefore); // Nothing written into the source, nor into its datastore.
		expect(content(datastore)).toEqual(datastoreBefore);

		const verified = await runCli(['verify', target, '--json'], {env});
		expect(verified.code, verified.stdout).toBe(0);
		expect(JSON.parse(verified.stdout).files).toBeGreaterThanOrEqual(records.length + 20);

		const to = path.join(root, 'restored', 'AEM');
		const datastoreTo = path.join(root, 'restored', 'datastore');
		const restored = await runCli(['restore', target, '--to', to, '--datastore-to', datastoreTo, '--json'], {env});
		expect(restored.code, restored.stderr).toBe(0);
		expect(JSON.parse(restored.stdout).datastore).toEqual({to: datastoreTo, pointedConfig: false});
		expect(content(datastoreTo)).toEqual(datastoreBefore);
		expect(records.every(rel => fs.existsSync(path.join(datastoreTo, rel)))).toBe(true);
		// The install as it was, less what every backup leaves out; no external-datastore/ inside it.
		const restoredTree = content(path.join(to, 'crx-quickstart'));
		const expected = treeDigest(quickstart, {meta: false, backupView: true, restoreView: true});
		expect(restoredTree).toEqual(expected);
		expect(fs.readdirSync(to).sort()).toEqual(['.crx-restored', 'crx-quickstart']);
		// The configuration is left as it was: it still names the original datastore, and the restore said so.
		expect(restored.stderr).toMatch(/still says the datastore is at .*--point-config/);
	}, 60_000);
});

test('the manifest header records the layout and the original path; a restore without --datastore-to goes there, and --point-config rewrites the path', async () => {
	const {root, install, datastore, env} = setUp('install');
	const datastoreBefore = content(datastore);
	const target = path.join(root, 'night');
	expect((await runCli(['backup', '--repo', install, '--target', target], {env})).code).toBe(0);
	expect(manifestHeader(target).storage).toEqual({
		nodeStore: 'segment', binaries: 'file', datastorePath: datastore, externalDatastoreIncluded: true,
		configuredIn: 'install/org.apache.jackrabbit.oak.plugins.blob.datastore.FileDataStore.config',
	});
	// The original is lost (a new machine): restored where the manifest says, once the operator names that place.
	fs.rmSync(datastore, {recursive: true});
	const to = path.join(root, 'new-host', 'AEM');
	const unnamed = await runCli(['restore', target, '--to', to], {env});
	expect(unnamed.code).toBe(2);
	expect(unnamed.stderr).toContain(`pass --datastore-to with the folder it goes into; its manifest says it was at ${datastore}`);
	const restored = await runCli(['restore', target, '--to', to, '--datastore-to', datastore], {env});
	expect(restored.code, restored.stderr).toBe(0);
	expect(content(datastore)).toEqual(datastoreBefore);
	expect(restored.stderr).not.toMatch(/still says/);

	// Elsewhere, with the configuration pointed at the new place.
	const to2 = path.join(root, 'third', 'AEM');
	const moved = path.join(root, 'third', 'ds');
	const pointed = await runCli(['restore', target, '--to', to2, '--datastore-to', moved, '--point-config'], {env});
	expect(pointed.code, pointed.stderr).toBe(0);
	expect(content(moved)).toEqual(datastoreBefore);
	const config = fs.readFileSync(path.join(to2, 'crx-quickstart/install/org.apache.jackrabbit.oak.plugins.blob.datastore.FileDataStore.config'), 'utf8');
	expect(config).toContain(`path="${moved}"`);
	expect(config).toContain('minRecordLength=I"4096"');
}, 60_000);

test('a restore whose datastore destination is not empty is refused before anything is written', async () => {
	const {root, install, datastore, env} = setUp('install');
	const target = path.join(root, 'night.zip');
	expect((await runCli(['backup', '--repo', install, '--target', target], {env})).code).toBe(0);
	const before = content(datastore);
	const to = path.join(root, 'restored');
	const result = await runCli(['restore', target, '--to', to, '--datastore-to', datastore], {env}); // The original is still there.
	expect(result.code, result.stderr).toBe(2);
	expect(errorLines(result)).toHaveLength(1);
	expect(errorLines(result)[0]).toMatch(/external datastore cannot be restored to .* is not empty.*--datastore-to/);
	expect(fs.existsSync(to)).toBe(false);
	expect(content(datastore)).toEqual(before);
}, 30_000);

test('a configured datastore that cannot be reached fails the backup with one sentence, and nothing is written', async () => {
	const {root, install, datastore, env} = setUp('launchpad');
	fs.renameSync(datastore, `${datastore}.unmounted`);
	const target = path.join(root, 'night');
	const result = await runCli(['backup', '--repo', install, '--target', target], {env});
	expect(result.code, result.stderr).toBe(1);
	expect(errorLines(result)).toHaveLength(1);
	expect(errorLines(result)[0]).toContain(`The external datastore ${datastore}`);
	expect(errorLines(result)[0]).toMatch(/cannot be reached \(ENOENT\)/);
	expect(fs.existsSync(target)).toBe(false);
	// --datastore says where it is now.
	const moved = await runCli(['backup', '--repo', install, '--target', target, '--datastore', `${datastore}.unmounted`, '--json'], {env});
	expect(moved.code, moved.stderr).toBe(0);
	expect(manifestHeader(target).storage.datastorePath).toBe(`${datastore}.unmounted`);
}, 30_000);

test('--no-external-datastore leaves it out with a warning that the backup is not restorable on its own', async () => {
	const {root, install, env} = setUp('install');
	const target = path.join(root, 'night');
	const result = await runCli(['backup', '--repo', install, '--target', target, '--no-external-datastore', '--json'], {env});
	expect(result.code, result.stderr).toBe(0);
	expect(JSON.parse(result.stdout).warnings.join('\n')).toMatch(/left out \(--no-external-datastore\): this backup is not restorable on its own/);
	expect(fs.existsSync(path.join(target, 'external-datastore'))).toBe(false);
	expect(manifestHeader(target).storage.externalDatastoreIncluded).toBe(false);
	const both = await runCli(['backup', '--repo', install, '--target', target, '--no-external-datastore', '--datastore', '/x'], {env});
	expect(both.code).toBe(2);
	expect(errorLines(both)).toEqual(['crx-backup: --datastore and --no-external-datastore contradict each other: pass one of them.']);
}, 30_000);

test('estimate shows the layout and the external datastore in text and JSON', async () => {
	const {root, install, datastore, env} = setUp('install-json');
	const json = await runCli(['estimate', '--repo', install, '--target', path.join(root, 'n.zip'), '--json'], {env});
	expect(json.code, json.stderr).toBe(0);
	const parsed = JSON.parse(json.stdout);
	expect(parsed.storage).toMatchObject({nodeStore: 'segment', binaries: 'file', datastore: {path: datastore, external: true}});
	expect(parsed.externalDatastore).toMatchObject({path: datastore, files: 8});
	const text = await runCli(['estimate', '--repo', install, '--target', path.join(root, 'n.zip')], {env});
	expect(text.stdout).toContain(`Binaries    FileDataStore ${datastore} (outside crx-quickstart)`);
	expect(text.stdout).toMatch(/Datastore {3}.*8 files, backed up as external-datastore\//);
}, 30_000);

test('a directory re-sync brings the external datastore copy up to date: new records copied, deleted ones removed, verify clean', async () => {
	const {root, install, datastore, records, env} = setUp('install');
	const target = path.join(root, 'night');
	expect((await runCli(['backup', '--repo', install, '--target', target], {env})).code).toBe(0);
	fs.rmSync(path.join(datastore, records[0]!));
	fs.mkdirSync(path.join(datastore, 'ff/ee/dd'), {recursive: true});
	fs.writeFileSync(path.join(datastore, 'ff/ee/dd/ffeedd0000000000000000000000000000000000'), 'new record');
	const again = await runCli(['backup', '--repo', install, '--target', target, '--json'], {env});
	expect(again.code, again.stderr).toBe(0);
	expect(content(path.join(target, 'external-datastore'))).toEqual(content(datastore));
	const verified = await runCli(['verify', target, '--json'], {env});
	expect(verified.code, verified.stdout).toBe(0);
}, 30_000);

test("configured in install/crx3/ (Adobe's cold-standby layout) or install.author/ under run mode author, the datastore is backed up; install.publish/ is not this AEM's", async () => {
	for (const folder of ['crx3', 'install.author', 'install.publish']) {
		const root = faultDir('crx-extds-folder-');
		const {install, quickstart} = makeInstall(root); // conf/sling.properties: sling.run.modes=author
		const datastore = path.join(root, 'mnt', 'datastore');
		const records = addExternalDatastore(quickstart, datastore, {folder});
		const target = path.join(root, 'night');
		const backup = await runCli(['backup', '--repo', install, '--target', target, '--json'], {env: stateEnv(root)});
		expect(backup.code, backup.stderr).toBe(0);
		if (folder === 'install.publish') {
			expect(manifestHeader(target).storage).toEqual({nodeStore: 'segment', binaries: 'segment'});
			expect(fs.existsSync(path.join(target, 'external-datastore'))).toBe(false);
			continue;
		}
		expect(manifestHeader(target).storage).toMatchObject({binaries: 'file', datastorePath: datastore, externalDatastoreIncluded: true, configuredIn: `install/${folder}/org.apache.jackrabbit.oak.plugins.blob.datastore.FileDataStore.config`});
		expect(records.every(rel => fs.existsSync(path.join(target, 'external-datastore', rel)))).toBe(true);
	}
}, 90_000);

test('a run mode folder whose run modes no file names, or two configurations that disagree, refuse the backup (exit 2, nothing written)', async () => {
	const {root, install, quickstart, env} = setUp('install');
	// Felix's copy says otherwise: which one AEM has in force is not known.
	addExternalDatastore(quickstart, path.join(root, 'mnt', 'other'), {place: 'launchpad', records: 1});
	// The state folder gets the refused run's record (status and --on-failure see it): nothing else is written.
		const before = treeDigest(root, {skipTop: ['state']});
	const target = path.join(root, 'night');
	const refused = await runCli(['backup', '--repo', install, '--target', target], {env});
	expect(refused.code, refused.stderr).toBe(2);
	expect(errorLines(refused)).toEqual([expect.stringMatching(/^crx-backup: crx-quickstart\/install\/.*FileDataStore\.config and Felix's copy crx-quickstart\/launchpad\/config\/.* disagree .*: crx-backup does not guess where AEM keeps its data; pass --datastore with the datastore's folder\.$/)]);
	expect(treeDigest(root, {skipTop: ['state']})).toEqual(before);
	// Naming the datastore settles it.
	const named = await runCli(['backup', '--repo', install, '--target', target, '--datastore', path.join(root, 'mnt', 'other'), '--json'], {env});
	expect(named.code, named.stderr).toBe(0);

	const noModes = faultDir('crx-extds-modes-');
	const made = makeInstall(noModes);
	fs.rmSync(path.join(made.quickstart, 'conf', 'sling.properties'));
	addExternalDatastore(made.quickstart, path.join(noModes, 'ds'), {folder: 'install.primary', records: 1});
	const unknown = await runCli(['backup', '--repo', made.install, '--target', path.join(noModes, 'night')], {env: stateEnv(noModes)});
	expect(unknown.code, unknown.stderr).toBe(2);
	expect(errorLines(unknown)).toEqual([expect.stringMatching(/install\.primary\/.* applies only under run modes "primary", and no file names this AEM's run modes .*: crx-backup does not guess where AEM keeps its data\.$/)]);
	expect(fs.existsSync(path.join(noModes, 'night'))).toBe(false);
}, 60_000);
