import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CrxError} from '../../source/engine/platform/errors.js';
import {serializeManifestHeader} from '../../source/engine/manifest/format.js';
import {removeTree} from '../../source/engine/walk/remove-tree.js';
import {header, markMadeAt, tempDir} from '../support/catalog-helpers.js';
import {runCli} from '../support/cli.js';
import {ATTACKER, attackerIds, ensureAttacker, isRoot, makeSentinel, treeChecksum} from '../support/catalog-safety.js';

/** `count` folders of `files` files each under `dir`. */
function fill(dir: string, count: number, files: number, prefix = 'd'): void {
	for (let folder = 0; folder < count; folder++) {
		const at = path.join(dir, `${prefix}${folder}`);
		fs.mkdirSync(at, {recursive: true});
		for (let file = 0; file < files; file++) fs.writeFileSync(path.join(at, `f${file}`), `${folder}/${file}`);
	}
}

/** Puts a link to `target` where the folder `at` was (the folder moved aside, so its files live on). */
function swapForLink(at: string, target: string): void {
	fs.renameSync(at, `${at}.aside`);
	fs.symlinkSync(target, at);
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
	return promise.then(() => undefined, (error: unknown) => error);
}

/** Checked after the sentinel: what matters first is that nothing outside was touched. */
function expectRefusal(error: unknown, root: string): void {
	expect(error).toBeInstanceOf(CrxError);
	expect((error as CrxError).exitCode).toBe(1);
	const {message} = error as CrxError;
	expect(message).toMatch(new RegExp(`^Stopped deleting ${root}: .* was replaced while it was being deleted`));
	expect(message.split(/\.\s/)).toHaveLength(1); // one sentence
}

describe('removeTree never follows a folder swapped for a link while it runs', () => {
	it('a folder swapped after its parent was listed: stops, and the link\'s target is untouched', async () => {
		const work = tempDir();
		const root = path.join(work, 'backup');
		fill(path.join(root, 'crx-quickstart', 'a'), 3, 4);
		const sentinel = makeSentinel(path.join(work, 'sentinel'));
		const error = await outcome(removeTree(root, {
			afterList: dir => {
				if (dir === path.join(root, 'crx-quickstart', 'a')) swapForLink(path.join(dir, 'd1'), sentinel.root);
			},
		}));
		expect(treeChecksum(sentinel.root)).toBe(sentinel.checksum);
		expectRefusal(error, root);
	});

	it('an ancestor swapped while a folder deep below it is being emptied: nothing is reached through the link', async () => {
		const work = tempDir();
		const root = path.join(work, 'backup');
		const deep = path.join(root, 'crx-quickstart', 'repository', 'segmentstore');
		fill(deep, 1, 8, 'tar');
		// The sentinel has the same shape, so a removal by path through the swapped ancestor would land in it.
		const sentinel = path.join(work, 'sentinel');
		fill(path.join(sentinel, 'repository', 'segmentstore'), 1, 8, 'tar');
		const before = treeChecksum(sentinel);
		const error = await outcome(removeTree(root, {
			afterList: dir => {
				if (dir === path.join(deep, 'tar0')) swapForLink(path.join(root, 'crx-quickstart'), sentinel);
			},
		}));
		expect(treeChecksum(sentinel)).toBe(before);
		expectRefusal(error, root);
		// What was below the swapped folder was the backup's: it went, through the folders held open.
		expect(fs.readdirSync(path.join(root, 'crx-quickstart.aside'))).toEqual([]);
	});

	it('the top folder swapped after it was listed: stops, the link\'s target untouched', async () => {
		const work = tempDir();
		const root = path.join(work, 'backup');
		fill(root, 2, 3);
		const sentinel = path.join(work, 'sentinel');
		fill(sentinel, 2, 3);
		const before = treeChecksum(sentinel);
		const error = await outcome(removeTree(root, {
			afterList: dir => {
				if (dir === root) swapForLink(root, sentinel);
			},
		}));
		expect(treeChecksum(sentinel)).toBe(before);
		expectRefusal(error, root);
	});

	it('folders swapped for links while it yields (no seam): stops, the target untouched', async () => {
		const work = tempDir();
		const root = path.join(work, 'backup');
		fill(root, 6, 5);
		const sentinel = makeSentinel(path.join(work, 'sentinel'));
		const running = removeTree(root);
		// Here the remover has read the top listing and handed back control: every folder it has not
		// started yet (all its files still there) becomes a link to the sentinel.
		for (const name of fs.readdirSync(root)) {
			const at = path.join(root, name);
			if (fs.lstatSync(at).isDirectory() && fs.readdirSync(at).length === 5) swapForLink(at, sentinel.root);
		}
		const error = await outcome(running);
		expect(treeChecksum(sentinel.root)).toBe(sentinel.checksum);
		expectRefusal(error, root);
	});

	it('removes links as links and empties a whole tree when nothing changes', async () => {
		const work = tempDir();
		const root = path.join(work, 'backup');
		fill(path.join(root, 'x'), 3, 3);
		const sentinel = makeSentinel(path.join(work, 'sentinel'));
		fs.symlinkSync(sentinel.root, path.join(root, 'x', 'd0', 'link'));
		fs.symlinkSync(path.join(sentinel.root, 'precious-0.txt'), path.join(root, 'file-link'));
		await removeTree(root);
		expect(fs.existsSync(root)).toBe(false);
		expect(treeChecksum(sentinel.root)).toBe(sentinel.checksum);
	});
});

/**
 * The attack as it happens: another local user who may write inside a backup
 * folder keeps swapping folders deep in it for links to a tree of root's, while
 * root runs `crx-backup delete --yes` on it.
 */
const swapper = `
import os, sys, time
dirs, target, stop = sys.argv[1].split(':'), sys.argv[2], sys.argv[3]
while not os.path.exists(stop):
    for d in dirs:
        try:
            os.rename(d, d + '.x'); os.symlink(target, d)
        except OSError:
            pass
    time.sleep(0.004)
    for d in dirs:
        try:
            os.unlink(d); os.rename(d + '.x', d)
        except OSError:
            pass
    time.sleep(0.001)
`;

describe.skipIf(!isRoot())('crx-backup delete while another user swaps folders in the backup', () => {
	it('never touches the sentinel tree, over several runs: it completes or stops with one sentence (exit 1)', async () => {
		ensureAttacker();
		const {uid, gid} = attackerIds();
		const outcomes: number[] = [];
		for (let run = 0; run < 4; run++) {
			const work = tempDir('crx-delete-swap-');
			fs.chmodSync(work, 0o755);
			const sentinel = makeSentinel(path.join(work, 'root-only'), 4, 50);
			const backup = path.join(work, 'backups', 'nightly');
			fs.mkdirSync(backup, {recursive: true});
			fs.writeFileSync(path.join(backup, 'crx-backup-manifest.jsonl'), serializeManifestHeader(header()));
			// A shared folder inside the backup the other user may write (as a cluster's shared datastore would be).
			const shared = path.join(backup, 'crx-quickstart', 'repository', 'shared');
			fill(shared, 40, 60);
			const swapped = Array.from({length: 40}, (_, index) => path.join(shared, `d${index}`));
			for (const at of [shared, ...swapped]) fs.chownSync(at, uid, gid);
			// crx-backup's own backup (recorded in its state folder), its manifest dated after the swaps to come: the
			// delete goes ahead and meets them while removing (the attack this is about), not in its checks before.
			const state = path.join(work, 'state');
			markMadeAt(state, new Date(Date.now() + 86_400_000), backup);
			const stop = path.join(work, 'stop');
			const attacker = spawn('runuser', ['-u', ATTACKER, '--', 'python3', '-c', swapper, swapped.join(':'), sentinel.root, stop], {stdio: 'ignore'});
			const exited = new Promise(resolve => attacker.on('close', resolve));
			await new Promise(resolve => setTimeout(resolve, 150));
			const result = await runCli(['delete', backup, '--yes'], {env: {CRX_BACKUP_STATE_DIR: state}});
			fs.writeFileSync(stop, '');
			await exited;
			expect(treeChecksum(sentinel.root), `run ${run}: the sentinel changed; ${result.stderr}`).toBe(sentinel.checksum);
			expect([0, 1], result.stderr).toContain(result.code);
			if (result.code === 1) {
				expect(result.stderr).toMatch(/^crx-backup: Stopped deleting .* was replaced while it was being deleted/);
				expect(result.stderr.trim().split('\n')).toHaveLength(1);
			}
			outcomes.push(result.code!);
		}
		// Swapped most of the time, the remover meets a link where it listed a folder.
		expect(outcomes).toContain(1);
	}, 120_000);
});
