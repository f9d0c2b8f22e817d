import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli, startCli} from '../support/cli.js';
import {fingerprint, localUser, quote, shAs, type LocalUser} from '../support/local-user.js';
import {errorLines, faultDir, stateEnv} from '../support/faults.js';
import {makeInstall} from '../support/trees.js';

/**
 * A zip backup into a shared folder names its partial zip
 * after its random staging folder (`X.zip.1a2b.partial`) but only created it at
 * the zip step, so a user who planted the names made every backup there fail
 * after all four stages with a raw EEXIST. Now both names are reserved
 * exclusively before stage 1, a taken one is the next try, and when every try is
 * taken the backup stops at once: one sentence, exit 2, nothing written,
 * nothing followed.
 *
 * The proof plants every one of the 65,536 names a 4-hex-digit suffix allows (as
 * symlinks, about a second): fewer would let the old code pass by luck.
 */

const user = localUser();
const skipReason = typeof user === 'string' ? user : undefined;
if (skipReason) console.warn(`planted .partial names skipped: ${skipReason}`);

test.skipIf(skipReason)('every .partial name planted by another user: refused before stage 1 in one sentence, exit 2; nothing written or followed', async () => {
	const attacker = user as LocalUser;
	const root = faultDir('crx-partial-');
	fs.chmodSync(root, 0o755);
	const {install} = makeInstall(path.join(root, 'aem'));
	const shared = path.join(root, 'tmp');
	fs.mkdirSync(shared);
	fs.chmodSync(shared, 0o1777);
	const victim = path.join(root, 'victim');
	fs.writeFileSync(victim, 'root secret\n', {mode: 0o644});
	const before = fingerprint(victim);
	const zip = path.join(shared, 'X.zip');
	const script = `import os, sys\nfor i in range(65536): os.symlink(sys.argv[2], '%s.%04x.partial' % (sys.argv[1], i))`;
	shAs(attacker, `python3 -c ${quote(script)} ${quote(zip)} ${quote(victim)}`);

	// 100 names tried, then refused (the sentence says so): 65,536 tries would outlast the test's own timeout.
	const result = await runCli(['backup', '--repo', install, '--target', zip], {env: stateEnv(root)});
	expect(result.code, result.stderr).toBe(2);
	expect(result.stderr.trim().split('\n')).toHaveLength(1);
	expect(errorLines(result)[0]).toMatch(/^crx-backup: 100 temporary names for .*X\.zip were all taken in .*tmp \(left there by someone else\?\): remove them or choose another folder\.$/);
	const left = fs.readdirSync(shared);
	expect(left).toHaveLength(65_536); // The planted links only: no staging folder, no zip.
	expect(left.every(name => name.endsWith('.partial') && fs.lstatSync(path.join(shared, name)).isSymbolicLink())).toBe(true);
	expect(fingerprint(victim)).toBe(before);
});

test('the .partial name is taken before stage 1: while the backup runs it is already a private file of ours', async () => {
	const root = faultDir('crx-partial-');
	const {install, quickstart} = makeInstall(path.join(root, 'aem'));
	fs.writeFileSync(path.join(quickstart, 'big.bin'), Buffer.alloc(4 << 20, 7));
	const zip = path.join(root, 'X.zip');
	const job = startCli(['backup', '--repo', install, '--target', zip, '--delay', '2000'], {env: stateEnv(root)});
	let seen: {temp: string; partial: fs.Stats | undefined} | undefined;
	const deadline = Date.now() + 20_000;
	while (!seen && Date.now() < deadline) {
		const temp = fs.readdirSync(root).find(name => /^X\.[0-9a-f]{4}\.temp$/.test(name));
		// Looked at once stage 1 is under way (its crx-quickstart copy exists), long before the zip step.
		if (temp && fs.existsSync(path.join(root, temp, 'crx-quickstart'))) seen = {temp, partial: fs.lstatSync(path.join(root, `X.zip.${temp.slice(2, 6)}.partial`), {throwIfNoEntry: false})};
		else await new Promise(resolve => setTimeout(resolve, 5));
	}
	job.child.kill('SIGINT');
	await job.done;
	expect(seen, 'the staging folder was never seen').toBeDefined();
	expect(seen!.partial?.isFile(), 'no .partial file while stage 1 ran').toBe(true);
	expect(seen!.partial!.mode & 0o777).toBe(0o600);
	expect(seen!.partial!.uid).toBe(process.geteuid!());
});
