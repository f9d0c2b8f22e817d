import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {netrcEntry} from '../../source/engine/aem/credentials.js';
import {insideWindow, maintenanceWarning, parseMaintenanceWindow} from '../../source/engine/backup/maintenance-window.js';
import {checkBackupOptions} from '../../source/engine/index.js';
import {runCli} from '../support/cli.js';
import {makeInstall, tempDir} from '../support/trees.js';

describe('the --aem, --aem-user and --maintenance-window rules (option-rules.ts)', () => {
	test('--aem takes an http(s) origin without credentials; --aem-user needs --aem; --aem excludes the freeze commands', () => {
		expect(checkBackupOptions({aem: 'http://localhost:4502/'}).aem).toEqual({url: 'http://localhost:4502', user: undefined});
		expect(checkBackupOptions({aem: 'http://aem.example/author/'}).aem?.url).toBe('http://aem.example/author');
		expect(checkBackupOptions({aem: 'https://aem.example:8443', aemUser: 'backup'}).aem).toEqual({url: 'https://aem.example:8443', user: 'backup'});
		expect(() => checkBackupOptions({aem: 'localhost:4502'})).toThrow(/http:\/\/ or https:\/\//);
		expect(() => checkBackupOptions({aem: 'not a url'})).toThrow(/--aem must be AEM's address/);
		expect(() => checkBackupOptions({aem: 'http://admin:pw@localhost:4502'})).toThrow(/must not hold a user or password/);
		expect(() => checkBackupOptions({aemUser: 'admin'})).toThrow('--aem-user needs --aem');
		expect(() => checkBackupOptions({aem: 'http://localhost:4502', freezeCmd: 'true'})).toThrow(/leave out --freeze-cmd/);
	});

	test('the maintenance window: HH:MM-HH:MM, none, default 02:00-05:00, over midnight', () => {
		const saved = process.env.CRX_BACKUP_MAINTENANCE_WINDOW; // vitest.config sets none for the suite
		delete process.env.CRX_BACKUP_MAINTENANCE_WINDOW;
		try {
			expect(parseMaintenanceWindow(undefined)).toEqual({start: 120, end: 300});
		} finally {
			process.env.CRX_BACKUP_MAINTENANCE_WINDOW = saved;
		}
		expect(parseMaintenanceWindow('none')).toBeNull();
		expect(parseMaintenanceWindow(' 23:30-01:15 ')).toEqual({start: 1410, end: 75});
		for (const bad of ['2-5', '02:00', '24:00-01:00', '02:00-02:00', '02:00-03:00-04:00', '02:60-03:00']) {
			expect(() => parseMaintenanceWindow(bad), bad).toThrow(/HH:MM-HH:MM/);
		}
		const at = (hhmm: string) => new Date(`2026-11-30T${hhmm}:00`);
		const night = {start: 120, end: 300};
		expect([at('01:59'), at('02:00'), at('04:59'), at('05:00')].map(date => insideWindow(night, date))).toEqual([false, true, true, false]);
		const overMidnight = {start: 1410, end: 75};
		expect([at('23:29'), at('23:30'), at('00:00'), at('01:14'), at('01:15')].map(date => insideWindow(overMidnight, date))).toEqual([false, true, true, true, false]);
		expect(maintenanceWarning(null, at('03:00'))).toBeUndefined();
	});

	test('.netrc: the host\'s entry, else default; comments, quotes, macdef and one-line entries', () => {
		const text = [
			'# comment machine 127.0.0.1 password nope',
			'machine other login x password y',
			'macdef init',
			'machine 127.0.0.1 password inside-macro',
			'',
			'machine 127.0.0.1 login backup password "with space"',
			'default login anon password anonpw',
		].join('\n');
		expect(netrcEntry(text, '127.0.0.1')).toEqual({login: 'backup', password: 'with space'});
		expect(netrcEntry(text, 'OTHER')).toEqual({login: 'x', password: 'y'});
		expect(netrcEntry(text, 'elsewhere')).toEqual({login: 'anon', password: 'anonpw'});
		expect(netrcEntry('machine a\tlogin\tb\r\npassword c', 'a')).toEqual({login: 'b', password: 'c'});
		expect(netrcEntry('', 'a')).toBeUndefined();
	});
});

describe('without --aem, a backup that starts in the maintenance window warns (CRX_BACKUP_NOW sets the clock)', () => {
	let root: string;
	let install: string;
	beforeAll(() => {
		root = tempDir();
		({install} = makeInstall(root, {live: false}));
	});
	afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

	const backup = (name: string, now: string, ...more: string[]) =>
		runCli(['backup', '--repo', install, '--target', path.join(root, name), '--json', ...more], {env: {CRX_BACKUP_STATE_DIR: path.join(root, 'state'), CRX_BACKUP_NOW: now, CRX_BACKUP_MAINTENANCE_WINDOW: ''}});
	const inWindow = (warnings: string[]) => warnings.filter(warning => warning.includes('maintenance window'));

	test('inside the default window, inside one over midnight, inside Sunday\'s weekly datastore GC window; not outside, not with none; a bad window is exit 2', async () => {
		const cases: Array<[string, string[], number]> = [
			['2026-11-30T03:10:00', [], 1],
			['2026-11-30T06:00:00', [], 0],
			['2026-11-30T00:30:00', ['--maintenance-window', '23:00-01:00'], 1],
			['2026-11-30T03:10:00', ['--maintenance-window', 'none'], 0],
		];
		for (const [index, [now, flags, expected]] of cases.entries()) {
			const result = await backup(`b${index}`, now, ...flags);
			expect(result.code, result.stderr).toBe(0);
			const {warnings} = JSON.parse(result.stdout) as {warnings: string[]};
			expect(inWindow(warnings), `${now} ${flags.join(' ')}`).toHaveLength(expected);
			if (expected) expect(result.stderr).toContain('⚠ The backup starts inside AEM\'s maintenance window');
		}
		// Adobe's weekly datastore GC: Sundays from 01:00 (2026-11-29 is a Sunday), alone or with the nightly window.
		const weekly: Array<[string, string[], RegExp | undefined]> = [
			['2026-11-29T01:30:00', [], /^The backup starts inside AEM's weekly maintenance window \(Sunday from 01:00\), when Adobe schedules datastore garbage collection: a backup must never run concurrently with it/],
			['2026-11-29T03:10:00', [], /weekly maintenance window \(Sunday from 01:00\), when Adobe schedules datastore garbage collection and its nightly one \(02:00–05:00\), when online revision cleanup may run too:/],
			['2026-11-29T00:59:00', [], undefined],
			['2026-11-30T01:30:00', [], undefined],
			['2026-11-29T01:30:00', ['--maintenance-window', 'none'], undefined],
		];
		for (const [index, [now, flags, expected]] of weekly.entries()) {
			const result = await backup(`w${index}`, now, ...flags);
			expect(result.code, result.stderr).toBe(0);
			const found = inWindow((JSON.parse(result.stdout) as {warnings: string[]}).warnings);
			if (expected) expect(found, now).toEqual([expect.stringMatching(expected)]);
			else expect(found, `${now} ${flags.join(' ')}`).toEqual([]);
		}
		const bad = await backup('bad', '2026-11-30T03:10:00', '--maintenance-window', '2-5');
		expect(bad.code).toBe(2);
		expect(bad.stderr).toBe('crx-backup: The maintenance window must be HH:MM-HH:MM in 24-hour local time with two different times (such as 02:00-05:00), or none (got "2-5").\n');
		expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
	}, 60_000);
});
