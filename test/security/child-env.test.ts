import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {aemEnv, hookEnv, resticEnv} from '../../source/engine/platform/child-env.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

/**
 * crx-backup runs with secrets in its environment (restic's password for --push,
 * AEM's for --aem, cloud keys restic reads). The operator's hooks, the freeze and
 * thaw commands and the snapshot commands are other programs: none of them
 * inherits a secret; each still gets the CRX_BACKUP_* variables it is given.
 */
const SECRETS = {
	RESTIC_PASSWORD: 'restic-s3cret-pw',
	CRX_BACKUP_AEM_PASSWORD: 'aem-s3cret-pw',
	AWS_SECRET_ACCESS_KEY: 'aws-s3cret-key',
	MY_API_TOKEN: 'token-s3cret',
};
let root: string;
let install: string;
let out: string;
const dump = (name: string) => `env > "$OUT/${name}.env"`;
const seen = (name: string) => fs.readFileSync(path.join(out, `${name}.env`), 'utf8');

beforeAll(() => {
	root = fs.realpathSync(tempDir('crx-child-env-'));
	({install} = makeInstall(root, {live: false}));
	out = path.join(root, 'out');
	fs.mkdirSync(out);
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('children get no secrets', () => {
	test('freeze, thaw and --on-success see neither RESTIC_PASSWORD nor the AEM password nor any *_SECRET_*/TOKEN variable', async () => {
		const env = {...SECRETS, OUT: out, CRX_BACKUP_STATE_DIR: path.join(root, 'state')};
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 'b.zip'), '--freeze-cmd', dump('freeze'), '--thaw-cmd', dump('thaw'), '--on-success', dump('success')], {env});
		expect(result.stderr).not.toMatch(/crx-backup:/);
		expect(result.code).toBe(0);
		for (const name of ['freeze', 'thaw', 'success']) {
			const text = seen(name);
			expect(text).toMatch(/^CRX_BACKUP_REPO=/m);
			expect(text).toMatch(/^OUT=/m); // The operator's own variables stay.
			for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
		}
	});

	test('short forms are secrets too: *_PWD, *_PASS, *_KEY reach neither a hook nor AEM\'s scripts', async () => {
		const short = {MYSQL_PWD: 'mysql-s3cret', CQ_ADMIN_PASS: 'cq-admin-s3cret', SIGNING_KEY: 'signing-s3cret'};
		const env = {...short, OUT: out, CRX_BACKUP_STATE_DIR: path.join(root, 'state')};
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 'short.zip'), '--freeze-cmd', dump('short')], {env});
		expect(result.code, result.stderr).toBe(0);
		const text = seen('short');
		expect(text).toMatch(/^OUT=/m);
		for (const value of Object.values(short)) expect(text).not.toContain(value);
		const saved = {...process.env};
		Object.assign(process.env, short);
		try {
			expect(aemEnv().CQ_ADMIN_PASS).toBeUndefined();
		} finally {
			process.env = saved;
		}
		expect(hookEnv().PWD).toBe(process.env.PWD); // The working folder is no secret.
	});

	test('the snapshot command and its release command see no secret either', async () => {
		const snap = path.join(root, 'snap');
		fs.cpSync(install, path.join(snap, path.basename(install)), {recursive: true});
		const env = {...SECRETS, OUT: out, CRX_BACKUP_STATE_DIR: path.join(root, 'state')};
		const result = await runCli(['backup', '--repo', install, '--target', path.join(root, 's'), '--method', 'snapshot',
			'--snapshot-cmd', `${dump('snapshot')}; echo "${path.join(snap, path.basename(install))}"`, '--snapshot-release-cmd', dump('release')], {env});
		expect(result.stderr).not.toMatch(/crx-backup:/);
		expect(result.code).toBe(0);
		for (const name of ['snapshot', 'release']) {
			const text = seen(name);
			for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
		}
		expect(seen('release')).toMatch(/^CRX_BACKUP_SNAPSHOT=/m);
	});
});

describe('the environments child-env.ts builds', () => {
	test('restic keeps its own secrets, not AEM\'s; AEM\'s scripts get PATH, locale and CQ_* only; hooks no secret', () => {
		const saved = {...process.env};
		Object.assign(process.env, SECRETS, {CQ_PORT: '4512', LANG: 'C.UTF-8', OPERATOR_VAR: 'x'});
		try {
			const restic = resticEnv({RESTIC_REPOSITORY: '/r'});
			expect(restic).toMatchObject({RESTIC_PASSWORD: SECRETS.RESTIC_PASSWORD, AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY, RESTIC_REPOSITORY: '/r'});
			expect(restic.CRX_BACKUP_AEM_PASSWORD).toBeUndefined();
			expect(restic.MY_API_TOKEN).toBeUndefined();
			const aem = aemEnv({name: 'aem', home: '/home/aem'});
			expect(Object.keys(aem).sort()).toEqual(expect.arrayContaining(['PATH', 'LANG', 'CQ_PORT', 'HOME', 'USER', 'LOGNAME']));
			expect(aem).toMatchObject({HOME: '/home/aem', USER: 'aem', CQ_PORT: '4512'});
			expect(aem.OPERATOR_VAR).toBeUndefined();
			for (const value of Object.values(SECRETS)) expect(Object.values(aem)).not.toContain(value);
			const hook = hookEnv({CRX_BACKUP_REPO: '/q'});
			expect(hook).toMatchObject({OPERATOR_VAR: 'x', CRX_BACKUP_REPO: '/q'});
			for (const value of Object.values(SECRETS)) expect(Object.values(hook)).not.toContain(value);
		} finally {
			for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
			Object.assign(process.env, saved);
		}
	});
});
