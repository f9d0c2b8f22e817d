import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli, type CliResult} from '../support/cli.js';
import {fingerprint, localUser, quote, shAs, type LocalUser} from '../support/local-user.js';
import {treeChecksum} from '../support/catalog-safety.js';
import {errorLines, faultDir, stateEnv} from '../support/faults.js';
import {makeInstall} from '../support/trees.js';
import {checkRestoreDestination} from '../../source/engine/restore/destination.js';
import {prepareDirectory} from '../../source/engine/backup/targets.js';

/**
 * Three attacks by another local user: a directory target, a restore
 * destination or a folder above either that another local user can write lets
 * them swap a folder for a link between root's check and root's write (links
 * planted at the marker and manifest names, the restore's staging folder or the
 * target's crx-quickstart swapped mid-run). One rule now refuses such a place
 * before anything is written (exit 2, one sentence); a sticky shared folder like
 * /tmp stays fine to make a new folder or a zip in. Root runs the CLI; the
 * attacker is the `crxattacker` user.
 */

const user = localUser();
const skipReason = typeof user === 'string' ? user : undefined;
if (skipReason) console.warn(`shared-folder attacks by another user skipped: ${skipReason}`);

/** A root-owned place with a sticky shared folder (as /tmp), an install, and root-only victims beside them. */
function setUp() {
	const root = faultDir('crx-shared-');
	fs.chmodSync(root, 0o755); // The attacker must reach the shared folder below.
	const {install} = makeInstall(path.join(root, 'aem'));
	const shared = path.join(root, 'tmp');
	fs.mkdirSync(shared);
	fs.chmodSync(shared, 0o1777);
	const victims = path.join(root, 'victims');
	fs.mkdirSync(path.join(victims, 'folder'), {recursive: true});
	fs.chmodSync(victims, 0o711); // Links into it resolve for root; the attacker cannot list or write it.
	for (const name of ['v1', 'v2', 'folder/precious']) fs.writeFileSync(path.join(victims, name), 'root secret\n', {mode: 0o600});
	const before = treeChecksum(victims);
	const untouched = () => expect(treeChecksum(victims)).toBe(before);
	return {root, install, shared, victims, untouched, env: stateEnv(root)};
}

function refusedInOneSentence(result: CliResult, message: RegExp): string {
	expect(result.code, result.stderr).toBe(2);
	expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
	expect(errorLines(result)).toHaveLength(1);
	expect(result.stderr).toMatch(message);
	return result.stderr.trim().replace(/^crx-backup: /, '');
}

test.skipIf(skipReason)('a directory target another user can write, with links planted at backupInProgress.txt and the manifest\'s temp name, is refused; nothing is written through them', async () => {
	const attacker = user as LocalUser;
	const {install, shared, victims, untouched, env} = setUp();
	const target = path.join(shared, 'T');
	shAs(attacker, `mkdir -m 777 ${quote(target)} && chmod 777 ${quote(target)} && ln -s ${quote(path.join(victims, 'v1'))} ${quote(path.join(target, 'backupInProgress.txt'))} && ln -s ${quote(path.join(victims, 'v2'))} ${quote(path.join(target, 'crx-backup-manifest.jsonl.tmp'))}`);
	const planted = treeChecksum(target);
	const result = await runCli(['backup', '--repo', install, '--target', target], {env});
	refusedInOneSentence(result, /T belongs to another user \(uid \d+\), who could redirect the target: use a folder of your own or root's\./);
	expect(treeChecksum(target)).toBe(planted);
	untouched();
});

test.skipIf(skipReason)('the same rule for a folder of another user\'s (target, the folder of a zip, a destination) and a link of theirs in the shared folder', async () => {
	const attacker = user as LocalUser;
	const {root, install, shared, untouched, env} = setUp();
	const theirs = path.join(shared, 'theirs');
	shAs(attacker, `mkdir -m 755 ${quote(theirs)}`);
	const mine = path.join(root, 'mine');
	fs.mkdirSync(mine, {mode: 0o700});
	const link = path.join(shared, 'link');
	shAs(attacker, `ln -s ${quote(mine)} ${quote(link)}`);
	const zip = path.join(root, 'b.zip');
	expect((await runCli(['backup', '--repo', install, '--target', zip], {env})).code).toBe(0);
	const attempts: Array<[string[], RegExp]> = [
		[['backup', '--repo', install, '--target', path.join(theirs, 'T')], /theirs belongs to another user \(uid \d+\), who could redirect the target/],
		[['backup', '--repo', install, '--target', path.join(theirs, 'b.zip')], /theirs belongs to another user .* who could redirect the zip b\.zip/],
		[['backup', '--repo', install, '--target', path.join(link, 'T')], /link is a link owned by another user/],
		[['restore', zip, '--to', path.join(theirs, 'to')], /theirs belongs to another user .* who could redirect the destination/],
		[['restore', zip, '--to', path.join(link, 'to')], /link is a link owned by another user/],
	];
	for (const [args, message] of attempts) refusedInOneSentence(await runCli(args, {env}), message);
	expect(fs.readdirSync(theirs)).toEqual([]);
	expect(fs.readdirSync(mine)).toEqual([]);
	untouched();
});

test('defence in depth: links at the marker and manifest-temp names in a target of our own are replaced, never written through', async () => {
	const {root, install, victims, untouched, env} = setUp();
	const target = path.join(root, 'own');
	fs.mkdirSync(target, {mode: 0o700});
	fs.symlinkSync(path.join(victims, 'v1'), path.join(target, 'backupInProgress.txt'));
	fs.symlinkSync(path.join(victims, 'v2'), path.join(target, 'crx-backup-manifest.jsonl.tmp'));
	const result = await runCli(['backup', '--repo', install, '--target', target, '--force'], {env});
	expect(result.code, result.stderr).toBe(0);
	untouched();
	expect(fs.lstatSync(path.join(target, 'crx-backup-manifest.jsonl')).isFile()).toBe(true);
	expect(fs.existsSync(path.join(target, 'backupInProgress.txt'))).toBe(false);
	expect(fs.lstatSync(path.join(target, 'crx-backup-manifest.jsonl.tmp'), {throwIfNoEntry: false})).toBeUndefined();
});

test.skipIf(skipReason)('restore into an empty folder another user can write is refused before its staging folder exists; the wizard gives the same sentence', async () => {
	const attacker = user as LocalUser;
	const {root, install, shared, untouched, env} = setUp();
	const zip = path.join(root, 'b.zip');
	expect((await runCli(['backup', '--repo', install, '--target', zip], {env})).code).toBe(0);
	const to = path.join(shared, 'D');
	shAs(attacker, `mkdir -m 777 ${quote(to)} && chmod 777 ${quote(to)}`);
	const sentence = refusedInOneSentence(await runCli(['restore', zip, '--to', to], {env}), /D belongs to another user \(uid \d+\), who could redirect the destination/);
	expect(fs.readdirSync(to)).toEqual([]);
	await expect(checkRestoreDestination(to, zip)).rejects.toThrow(sentence);
	untouched();
});

test('a re-sync into a directory backup others can write now is refused; nothing in it changes', async () => {
	const {install, shared, untouched, env} = setUp();
	const target = path.join(shared, 'T');
	expect((await runCli(['backup', '--repo', install, '--target', target], {env})).code).toBe(0);
	fs.chmodSync(target, 0o777); // As if another user had made it, open to all, before root's first backup.
	const before = treeChecksum(target);
	refusedInOneSentence(await runCli(['backup', '--repo', install, '--target', target, '--force'], {env}), /writable by other users/);
	expect(treeChecksum(target)).toBe(before);
	untouched();
});

test.skipIf(skipReason)('checked again once the target exists: a folder another user made between the check and the mkdir is refused, nothing written in it', async () => {
	const attacker = user as LocalUser;
	const {install, shared} = setUp();
	const target = path.join(shared, 'raced');
	shAs(attacker, `mkdir -m 777 ${quote(target)} && chmod 777 ${quote(target)}`);
	await expect(prepareDirectory({path: target, kind: 'directory'}, path.join(install, 'crx-quickstart'))).rejects.toThrow(/raced belongs to another user/);
	expect(fs.readdirSync(target)).toEqual([]);
});

test('a sticky shared folder like /tmp is fine to make a new target, a zip or a new destination in; the results are ours and private', async () => {
	const {install, shared, untouched, env} = setUp();
	for (const target of ['dir', 'b.zip']) {
		const result = await runCli(['backup', '--repo', install, '--target', path.join(shared, target)], {env});
		expect(result.code, `${target}: ${result.stderr}`).toBe(0);
		expect(fs.lstatSync(path.join(shared, target)).uid).toBe(process.geteuid!());
		const to = path.join(shared, 'restored', `from-${target}`); // Its parent is made too.
		const restored = await runCli(['restore', path.join(shared, target), '--to', to], {env});
		expect(restored.code, `${target}: ${restored.stderr}`).toBe(0);
		expect(fs.existsSync(path.join(to, 'crx-quickstart'))).toBe(true);
	}
	expect(fingerprint(path.join(shared, 'b.zip')).startsWith('600 ')).toBe(true);
	expect(fs.readdirSync(shared).sort()).toEqual(['b.zip', 'dir', 'restored']);
	untouched();
});
