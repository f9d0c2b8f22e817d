import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';
import {errorLines, faultDir, stateEnv, treeDigest} from '../support/faults.js';
import {expectRefusedAlike, file, folder, hostileZip, link, sentinelArea} from '../support/hostile.js';
import {addExternalDatastore, FDS_PID, writeStorageConfig} from '../../source/demo/external-datastore.js';
import {readFelixConfig} from '../../source/engine/storage/felix-config.js';
import {readStorageLayout} from '../../source/engine/storage/layout.js';

/**
 * The external datastore's restore under hostile input: a manifest whose
 * recorded path or configuration file is a lie, entries that try to leave
 * external-datastore/, links out of it. Nothing outside the datastore's
 * destination is ever written, and a refusal writes nothing at all.
 */
let good: string;
let datastore: string;
/** Shared by every test (faultDir's folders go after each test). */
const shared = fs.realpathSync(tempDir('crx-dsrestore-shared-'));
const env = stateEnv(shared);

afterAll(() => fs.rmSync(shared, {recursive: true, force: true}));

beforeAll(async () => {
	const root = shared;
	const {install, quickstart} = makeInstall(root, {live: false});
	datastore = path.join(root, 'mnt', 'datastore');
	addExternalDatastore(quickstart, datastore, {records: 3});
	good = path.join(root, 'good');
	const result = await runCli(['backup', '--repo', install, '--target', good], {env});
	expect(result.code, result.stderr).toBe(0);
}, 30_000);

/** A copy of the good backup whose manifest header's storage record is replaced. */
function withStorage(root: string, storage: unknown): string {
	const copy = path.join(root, 'backup');
	execFileSync('cp', ['-a', good, copy]);
	const manifest = path.join(copy, 'crx-backup-manifest.jsonl');
	const [header, ...rest] = fs.readFileSync(manifest, 'utf8').split('\n');
	fs.writeFileSync(manifest, [JSON.stringify({...JSON.parse(header!), storage}), ...rest].join('\n'));
	return copy;
}

const recorded = (datastorePath: unknown) => ({nodeStore: 'segment', binaries: 'file', datastorePath, externalDatastoreIncluded: true});

for (const [what, value] of [['a relative path', 'mnt/../../etc'], ['a path with ".."', '/tmp/x/../../etc'], ['the root', '/'], ['not a string', 42], ['a NUL', '/tmp/a\u0000b']] as const) {
	test(`a manifest recording ${what} as the datastore's path is refused, nothing written`, async () => {
		const root = faultDir('crx-dsrestore-');
		const {to, unchanged} = sentinelArea(root);
		const backup = withStorage(root, recorded(value));
		const result = await runCli(['restore', backup, '--to', to], {env});
		expect(result.code, result.stderr).toBe(2);
		expect(errorLines(result), result.stderr).toEqual([`crx-backup: ${backup} holds an external datastore: pass --datastore-to with the folder it goes into.`]);
		expect(fs.existsSync(to)).toBe(false);
		unchanged();
	}, 20_000);
}

test('the path a manifest records is never used unless the operator names it: a backup recording ~/.ssh writes nothing there', async () => {
	const root = faultDir('crx-dsrestore-');
	const {to, unchanged} = sentinelArea(root);
	// As /root/.ssh for root: a folder that does not exist yet, which the old restore made and filled with the backup's files.
	const ssh = path.join(root, 'home', '.ssh');
	const backup = withStorage(root, recorded(ssh));
	fs.mkdirSync(path.join(backup, 'external-datastore', 'authorized_keys'), {recursive: true});
	const result = await runCli(['restore', backup, '--to', to], {env});
	expect(result.code, result.stderr).toBe(2);
	expect(errorLines(result), result.stderr).toEqual([`crx-backup: ${backup} holds an external datastore: pass --datastore-to with the folder it goes into; its manifest says it was at ${ssh}, which is used only when you name it.`]);
	expect(fs.existsSync(path.join(root, 'home'))).toBe(false);
	expect(fs.existsSync(to)).toBe(false);
	unchanged();
}, 20_000);

test('a datastore destination the operator names that holds files, or lies in the restore folder, is refused and nothing is touched', async () => {
	const root = faultDir('crx-dsrestore-');
	const {to, sibling, unchanged} = sentinelArea(root);
	for (const [where, message] of [[sibling, /is not empty/], [path.join(to, 'crx-quickstart', 'repository'), /lie one inside the other/], [path.dirname(to), /lie one inside the other/]] as const) {
		const result = await runCli(['restore', good, '--to', to, '--datastore-to', where], {env});
		expect(result.code, result.stderr).toBe(2);
		expect(errorLines(result)).toHaveLength(1);
		expect(errorLines(result)[0]).toMatch(message);
		expect(fs.existsSync(to)).toBe(false);
		unchanged();
	}
}, 30_000);

test('--point-config never writes the file a manifest names: only FileDataStore configurations it finds itself, never through a link', async () => {
	const root = faultDir('crx-dsrestore-');
	const {to, unchanged} = sentinelArea(root);
	const moved = path.join(root, 'ds');
	for (const configuredIn of ['conf/sling.properties', 'install/../conf/sling.properties', '../../area/beside.txt']) {
		const backup = withStorage(root, {...recorded(datastore), configuredIn});
		const result = await runCli(['restore', backup, '--to', to, '--datastore-to', moved, '--point-config'], {env});
		expect(result.code, result.stderr).toBe(0);
		expect(fs.readFileSync(path.join(to, 'crx-quickstart', 'conf', 'sling.properties'), 'utf8')).toBe('sling.run.modes=author\n');
		expect(readFelixConfig(fs.readFileSync(path.join(to, 'crx-quickstart', 'install', `${FDS_PID}.config`), 'utf8'), {skipFirstComment: true}).values.path).toBe(moved);
		fs.rmSync(to, {recursive: true});
		fs.rmSync(moved, {recursive: true});
		fs.rmSync(backup, {recursive: true});
		unchanged();
	}
	// A backup whose install/ is a link (to the sentinel area) is not read through, let alone written through.
	const linked = withStorage(root, recorded(datastore));
	fs.renameSync(path.join(linked, 'crx-quickstart', 'install'), path.join(root, 'real-install'));
	fs.symlinkSync(path.join(root, 'area'), path.join(linked, 'crx-quickstart', 'install'));
	const result = await runCli(['restore', linked, '--to', to, '--datastore-to', moved, '--point-config'], {env});
	expect(result.code, result.stderr).toBe(2);
	expect(fs.existsSync(to)).toBe(false);
	unchanged();
}, 60_000);

test('--point-config rewrites every FileDataStore configuration naming the old place, install/** and launchpad/config, so that Felix reads the new path back exactly', async () => {
	const root = fs.realpathSync(faultDir('crx-dspoint-'));
	const {install, quickstart} = makeInstall(root, {live: false});
	const old = path.join(root, 'mnt', 'datastore');
	addExternalDatastore(quickstart, old, {records: 2});
	writeStorageConfig(quickstart, 'launchpad', {[FDS_PID]: {path: old, minRecordLength: 4096}});
	writeStorageConfig(quickstart, 'install', {[FDS_PID]: {path: old, minRecordLength: 4096}}, {folder: 'install.publish'});
	writeStorageConfig(quickstart, 'install', {[FDS_PID]: {path: '/somewhere/else'}}, {folder: 'install.other'});
	const backup = path.join(root, 'night.zip');
	expect((await runCli(['backup', '--repo', install, '--target', backup], {env: stateEnv(root)})).code).toBe(0);
	for (const [name, moved] of [['space', path.join(root, 'new ds "q"=1')], ['controls', path.join(root, 'tab\tnew\nline')]] as const) {
		const to = path.join(root, `restored-${name}`, 'AEM');
		const result = await runCli(['restore', backup, '--to', to, '--datastore-to', moved, '--point-config', '--json'], {env: stateEnv(root)});
		expect(result.code, result.stderr).toBe(0);
		expect(JSON.parse(result.stdout).datastore).toEqual({to: moved, pointedConfig: true});
		const q = path.join(to, 'crx-quickstart');
		for (const rel of [`install/${FDS_PID}.config`, `install/install.publish/${FDS_PID}.config`, 'launchpad/config/org/apache/jackrabbit/oak/plugins/blob/datastore/FileDataStore.config']) {
			const text = fs.readFileSync(path.join(q, rel), 'utf8');
			expect(readFelixConfig(text, {skipFirstComment: rel.startsWith('install/')}).values, rel).toMatchObject({path: moved, minRecordLength: 4096});
			expect(text.split('\n').filter(line => line.startsWith('path=')), rel).toHaveLength(1); // no newline reached the file
		}
		expect(readFelixConfig(fs.readFileSync(path.join(q, 'install', 'install.other', `${FDS_PID}.config`), 'utf8'), {skipFirstComment: true}).values.path).toBe('/somewhere/else');
		// What AEM (and the next backup) reads from the restored install is the new place.
		fs.rmSync(path.join(q, 'install', 'install.other'), {recursive: true});
		expect(readStorageLayout(q).datastore?.path).toBe(moved);
	}
}, 60_000);

test('--point-config refuses a .cfg that names the old place (exit 2), and nothing is restored', async () => {
	const root = fs.realpathSync(faultDir('crx-dscfg-'));
	const {install, quickstart} = makeInstall(root, {live: false});
	const old = path.join(root, 'mnt', 'datastore');
	addExternalDatastore(quickstart, old, {records: 1});
	writeStorageConfig(quickstart, 'install-cfg', {[FDS_PID]: {path: old}}, {folder: 'crx3'});
	fs.rmSync(path.join(quickstart, 'install', `${FDS_PID}.config`));
	const backup = path.join(root, 'night');
	const made = await runCli(['backup', '--repo', install, '--target', backup], {env: stateEnv(root)});
	expect(made.code, made.stderr).toBe(0);
	const to = path.join(root, 'restored');
	const moved = path.join(root, 'ds');
	const result = await runCli(['restore', backup, '--to', to, '--datastore-to', moved, '--point-config'], {env: stateEnv(root)});
	expect(result.code, result.stderr).toBe(2);
	expect(errorLines(result)).toEqual([`crx-backup: crx-quickstart/install/crx3/${FDS_PID}.cfg names the datastore's old place ${old}, and --point-config rewrites only Felix .config and .cfg.json files (a .cfg or .properties file follows java.util.Properties escapes): restore without --point-config and set its path to ${moved} by hand.`]);
	expect(fs.existsSync(to)).toBe(false);
	expect(fs.existsSync(moved)).toBe(false);
	expect(fs.readdirSync(root).filter(name => name.includes('restoring'))).toEqual([]);
	// Without --point-config it restores, and says the configuration still names the old place.
	const plain = await runCli(['restore', backup, '--to', to, '--datastore-to', moved], {env: stateEnv(root)});
	expect(plain.code, plain.stderr).toBe(0);
	expect(plain.stderr).toMatch(/still says the datastore is at/);
}, 60_000);

test('a zip whose external-datastore entries climb out or link out is refused by restore and verify alike', async () => {
	const root = faultDir('crx-dsrestore-');
	const {to, unchanged} = sentinelArea(root);
	const attacks = [
		[folder('external-datastore'), file('external-datastore/../../area/sibling/precious.txt', 'owned')],
		[folder('external-datastore'), link('external-datastore/ab', '../crx-quickstart/conf'), file('external-datastore/zz', 'x')],
		[folder('external-datastore'), link('external-datastore/ab', '/etc')],
		[file('external-datastore', 'not a folder')],
	];
	const sentences: string[] = [];
	for (const [index, entries] of attacks.entries()) {
		const zip = hostileZip(path.join(root, `attack-${index}.zip`), entries);
		sentences.push(await expectRefusedAlike(zip, to, env));
		unchanged();
	}
	expect(sentences[1]).toMatch(/leads outside external-datastore\//);
}, 60_000);

test('a zip holding external-datastore/ that its manifest does not declare is refused, nothing written', async () => {
	const root = faultDir('crx-dsrestore-');
	const {to, unchanged} = sentinelArea(root);
	const zip = hostileZip(path.join(root, 'undeclared.zip'), [folder('external-datastore'), file('external-datastore/ab', 'blob')]);
	const result = await runCli(['restore', zip, '--to', to], {env});
	expect(result.code, result.stderr).toBe(2);
	expect(errorLines(result)).toHaveLength(1);
	expect(errorLines(result)[0]).toMatch(/which its manifest does not declare; nothing was restored\.$/);
	expect(fs.existsSync(to)).toBe(false);
	expect(fs.readdirSync(path.dirname(to)).filter(name => name.includes('restoring'))).toEqual([]);
	unchanged();
	const asked = await runCli(['restore', zip, '--to', to, '--datastore-to', path.join(root, 'ds')], {env});
	expect(asked.code).toBe(2);
	expect(errorLines(asked)[0]).toMatch(/holds no external datastore, so there is nothing for --datastore-to/);
}, 30_000);

test('the datastore backup in the good case restores nothing outside its two destinations', async () => {
	const root = faultDir('crx-dsrestore-');
	const {area, to} = sentinelArea(root);
	const moved = path.join(area, 'ds');
	const before = treeDigest(area);
	const result = await runCli(['restore', good, '--to', to, '--datastore-to', moved], {env});
	expect(result.code, result.stderr).toBe(0);
	const after = treeDigest(area, {skipTop: ['to', 'ds']});
	expect(after).toEqual(before);
	expect(treeDigest(moved, {meta: false})).toEqual(treeDigest(datastore, {meta: false}));
}, 20_000);
