import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {hostileZip, file, folder} from '../support/hostile.js';
import {makeInstall} from '../support/trees.js';
import {faultDir, stateEnv} from '../support/faults.js';

/**
 * Modes a restore keeps: a shared 1777 folder comes back
 * 1777, not 0777; setuid/setgid never come back, from any backup (a
 * manifest is as easily edited as a zip's modes, and root's
 * restore would make a setuid-root executable of the attacker's choosing).
 * (Device, FIFO and socket entries: refused, see restore-hostile-zip.test.ts.)
 */
const mode = (file: string) => (fs.lstatSync(file).mode & 0o7777).toString(8);

test('a 1777 folder restores as 1777 from both kinds of backup', async () => {
	const root = faultDir('crx-modes-');
	const {install, quickstart} = makeInstall(root);
	fs.mkdirSync(path.join(quickstart, 'temp'));
	fs.chmodSync(path.join(quickstart, 'temp'), 0o1777);
	const env = stateEnv(root);
	for (const target of ['night', 'night.zip']) {
		const backup = path.join(root, target);
		expect((await runCli(['backup', '--repo', install, '--target', backup], {env})).code).toBe(0);
		const to = path.join(root, `to-${target}`);
		const restored = await runCli(['restore', backup, '--to', to], {env});
		expect(restored.code, restored.stderr).toBe(0);
		expect(mode(path.join(to, 'crx-quickstart/temp')), target).toBe('1777');
	}
});

test('another tool\'s zip: the sticky bit kept, setuid and setgid dropped', async () => {
	const root = faultDir('crx-modes-');
	const zip = hostileZip(path.join(root, 'other.zip'), [folder('crx-quickstart/shared', 0o041777), folder('crx-quickstart/group', 0o042775), file('crx-quickstart/bin/su', 'x', 0o104755)]);
	const to = path.join(root, 'to');
	const restored = await runCli(['restore', zip, '--to', to], {env: stateEnv(root)});
	expect(restored.code, restored.stderr).toBe(0);
	expect(mode(path.join(to, 'crx-quickstart/shared'))).toBe('1777');
	expect(mode(path.join(to, 'crx-quickstart/group'))).toBe('775');
	expect(mode(path.join(to, 'crx-quickstart/bin/su'))).toBe('755');
});

test('our own backups, and one whose manifest an attacker edited: setuid and setgid dropped from both kinds', async () => {
	const root = faultDir('crx-modes-');
	const {install, quickstart} = makeInstall(root);
	fs.mkdirSync(path.join(quickstart, 'bin'), {recursive: true});
	fs.writeFileSync(path.join(quickstart, 'bin', 'helper'), '#!/bin/sh\n');
	fs.chmodSync(path.join(quickstart, 'bin', 'helper'), 0o4755);
	fs.mkdirSync(path.join(quickstart, 'group'));
	fs.chmodSync(path.join(quickstart, 'group'), 0o2775);
	fs.writeFileSync(path.join(quickstart, 'bin', 'plain'), 'x');
	fs.chmodSync(path.join(quickstart, 'bin', 'plain'), 0o755);
	const env = stateEnv(root);
	for (const target of ['night', 'night.zip']) {
		const backup = path.join(root, target);
		expect((await runCli(['backup', '--repo', install, '--target', backup], {env})).code).toBe(0);
		if (target === 'night') {
			// The attacker's edit: a plain executable made setuid in the manifest (size and CRC-32 stay right).
			const manifest = path.join(backup, 'crx-backup-manifest.jsonl');
			const lines = fs.readFileSync(manifest, 'utf8').trimEnd().split('\n').map(line => {
				const entry = JSON.parse(line) as {path?: string; mode?: number};
				if (entry.path === 'crx-quickstart/bin/plain') entry.mode = 0o6755;
				return JSON.stringify(entry);
			});
			fs.writeFileSync(manifest, lines.join('\n') + '\n');
		}
		const to = path.join(root, `to-${target}`);
		const restored = await runCli(['restore', backup, '--to', to], {env});
		expect(restored.code, restored.stderr).toBe(0);
		expect(mode(path.join(to, 'crx-quickstart/bin/helper')), target).toBe('755');
		expect(mode(path.join(to, 'crx-quickstart/group')), target).toBe('775');
		expect(mode(path.join(to, 'crx-quickstart/bin/plain')), target).toBe('755');
	}
});
