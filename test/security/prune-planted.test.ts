import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {header, makeZipBackup, markMade, pythonZip} from '../support/catalog-helpers.js';
import {attackerIds, ensureAttacker, isRoot} from '../support/catalog-safety.js';
import {runCli} from '../support/cli.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

interface Listed {name: string; status: string; problem?: string; ours?: boolean}

describe.skipIf(!isRoot())('backups planted by another user, or dated by a wrong clock', () => {
	test('never outrank real ones: the backup just made and the newest real ones stay, the planted ones are left and named', async () => {
		ensureAttacker();
		const {uid, gid} = attackerIds();
		const root = faultDir();
		const {install, quickstart} = makeInstall(root, {live: false});
		const shared = path.join(root, 'shared');
		fs.mkdirSync(shared);
		fs.chmodSync(shared, 0o1777); // A shared sticky folder, as /tmp.
		const at = (iso: string) => ({...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: iso});
		const backup = async (iso: string, ...args: string[]) => runCli(['backup', '--repo', install, ...args], {env: at(iso)});
		for (const [day, name] of [['01', 'n1.zip'], ['02', 'n2.zip']] as const) expect((await backup(`2026-10-${day}T02:00:00Z`, '--target', path.join(shared, name))).code).toBe(0);
		// One night the clock said 2099: crx-backup's own backup, dated in the future.
		expect((await backup('2099-06-01T02:00:00Z', '--target', path.join(shared, 'n-clock.zip'))).code).toBe(0);
		// Another user plants two small zips holding only a manifest header dated 2099 that names this repository.
		const planted = ['backup-20990101-0200.zip', 'backup-20990102-0200.zip'].map((name, index) => {
			const zip = pythonZip(path.join(shared, name), [{name: 'crx-backup-manifest.jsonl', text: `${JSON.stringify(header({source: fs.realpathSync(quickstart), kind: 'zip', startedAt: `2099-01-0${index + 1}T02:00:00.000Z`, files: 0}))}\n`}]);
			fs.chownSync(zip, uid, gid);
			return {zip, bytes: fs.readFileSync(zip)};
		});

		const nightly = await backup('2026-10-03T02:00:00Z', '--target', path.join(shared, 'n3.zip'), '--keep-last', '2', '--json');
		expect(nightly.code, nightly.stderr).toBe(0);
		// The backup just made and the newest real one stay; the oldest real one goes, as --keep-last 2 says.
		expect(fs.existsSync(path.join(shared, 'n3.zip'))).toBe(true);
		expect(fs.existsSync(path.join(shared, 'n2.zip'))).toBe(true);
		expect(fs.existsSync(path.join(shared, 'n1.zip'))).toBe(false);
		expect(fs.existsSync(path.join(shared, 'n-clock.zip'))).toBe(true);
		for (const {zip, bytes} of planted) expect(fs.readFileSync(zip).equals(bytes)).toBe(true);
		const prune = JSON.parse(nightly.stdout).prune as {left: Array<{name: string; reason: string}>; decisions: Array<{name: string; action: string; reasons: string[]}>};
		expect(prune.left.map(item => item.name).sort()).toEqual(planted.map(({zip}) => path.basename(zip)).sort());
		for (const item of prune.left) expect(item.reason).toMatch(/^crx-backup cannot prove it wrote it/);
		expect(prune.decisions.find(decision => decision.name === 'n-clock.zip')).toMatchObject({action: 'keep', reasons: [expect.stringContaining('dated in the future')]});

		const listed = JSON.parse((await runCli(['list', '--dir', shared, '--json'], {env: at('2026-10-03T03:00:00Z')})).stdout) as Listed[];
		const byName = Object.fromEntries(listed.map(record => [record.name, record]));
		for (const {zip} of planted) expect(byName[path.basename(zip)]).toMatchObject({status: 'incomplete', ours: false, problem: `it belongs to another user (uid ${uid})`});
		expect(byName['n-clock.zip']).toMatchObject({status: 'incomplete', ours: true, problem: expect.stringContaining('dated in the future')});

		const status = await runCli(['status', '--repo', install, '--dir', shared, '--json'], {env: at('2026-10-03T03:00:00Z')});
		expect(status.code, status.stdout).toBe(0);
		expect(JSON.parse(status.stdout).newest.name).toBe('n3.zip');
	});
});

test('a backup that is not whole, or that ran over 24 hours, is not complete for list, prune and status', async () => {
	const root = faultDir();
	const {install, quickstart} = makeInstall(root, {live: false});
	const real = fs.realpathSync(quickstart);
	const state = stateEnv(root).CRX_BACKUP_STATE_DIR;
	// Both this user's and recorded as crx-backup's own: only what they hold says they are not complete.
	const slow = makeZipBackup(path.join(root, 'slow.zip'), quickstart, {manifest: {source: real, startedAt: '2026-10-01T02:00:00.000Z', over24h: true}});
	const cut = pythonZip(path.join(root, 'cut.zip'), [{name: 'crx-backup-manifest.jsonl', text: `${JSON.stringify(header({source: real, kind: 'zip', startedAt: '2026-10-02T02:00:00.000Z', files: 14}))}\n`}]);
	markMade(state, slow, cut);
	const env = {...stateEnv(root), TZ: 'UTC', CRX_BACKUP_NOW: '2026-10-03T02:00:00Z'};

	const listed = JSON.parse((await runCli(['list', '--repo', install, '--json'], {env})).stdout) as Listed[];
	const byName = Object.fromEntries(listed.map(record => [record.name, record]));
	expect(byName['slow.zip']).toMatchObject({status: 'incomplete', problem: expect.stringContaining('longer than 24 hours')});
	expect(byName['cut.zip']).toMatchObject({status: 'incomplete', problem: expect.stringContaining('not whole')});
	const none = await runCli(['status', '--repo', install], {env});
	expect(none.code).toBe(1);
	expect(none.stdout).toMatch(/^NONE: no complete backup/);

	const made = await runCli(['backup', '--repo', install, '--keep-last', '5', '--json'], {env});
	expect(made.code, made.stderr).toBe(0);
	const decisions = JSON.parse(made.stdout).prune.decisions as Array<{name: string; action: string; reasons: string[]}>;
	expect(decisions.find(decision => decision.name === 'slow.zip')).toMatchObject({action: 'remove', reasons: [expect.stringMatching(/^incomplete \(it ran longer than 24 hours.*older than the newest complete backup$/)]});
	expect(fs.existsSync(slow)).toBe(false);
	expect(fs.existsSync(cut)).toBe(false);
	const ok = await runCli(['status', '--repo', install], {env});
	expect(ok.code, ok.stdout).toBe(0);
	expect(ok.stdout).toMatch(/^OK: newest backup backup-20261003-0200\.zip/);
});
