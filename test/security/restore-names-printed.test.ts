import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {runCli} from '../support/cli.js';
import {folder, hostileZip, link} from '../support/hostile.js';
import {faultDir, stateEnv} from '../support/faults.js';
import {makeInstall} from '../support/trees.js';

/**
 * Entry names are the backup's (untrusted): restore's refusal and verify's report
 * name them with their controls escaped, so a name holding a newline and a
 * terminal escape cannot forge a line ("crx-backup: Restored…") or erase one.
 */
test('a hostile entry name cannot forge a line in restore\'s refusal or verify\'s report', async () => {
	const root = faultDir('crx-restore-names-');
	const name = 'crx-quickstart/a\ncrx-backup: Restored everything.\u001b[2K/x';
	const zip = hostileZip(path.join(root, 'b.zip'), [folder('crx-quickstart'), link(name, '../../../etc')], {padding: false});
	const restored = await runCli(['restore', zip, '--to', path.join(root, 'to')], {env: stateEnv(root)});
	expect(restored.code).toBe(2);
	expect(restored.stderr.trim().split('\n')).toHaveLength(1);
	expect(restored.stderr).toContain('crx-quickstart/a\\ncrx-backup: Restored everything.\\u001b[2K/x is a symbolic link');
	const verified = await runCli(['verify', zip], {env: stateEnv(root)});
	expect(verified.code).toBe(1);
	const lines = verified.stdout.split('\n');
	expect(lines.filter(line => line.startsWith('crx-backup:'))).toEqual([]);
	expect(verified.stdout).not.toContain('\u001b');
	expect(verified.stdout).toContain('a\\ncrx-backup: Restored everything.');
}, 60_000);

test('a damaged entry whose name holds a newline: restore refuses in one line, the name escaped', async () => {
	const root = faultDir('crx-restore-names-crc-');
	const zip = path.join(root, 'crc.zip');
	// Stored, not deflated, so a byte of the content can be flipped: the CRC no longer matches.
	execFileSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED) as z:
    for name, text, mode in [('crx-quickstart/', '', 0o040755), (sys.argv[2], 'hellohello', 0o100644)]:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 10, 0, 0))
        info.create_system = 3
        info.external_attr = mode << 16
        z.writestr(info, text.encode())
`, zip, 'crx-quickstart/b\ncrx-backup: forged line\u001b[2K']);
	const bytes = fs.readFileSync(zip);
	bytes[bytes.indexOf('hellohello')] = 'j'.charCodeAt(0);
	fs.writeFileSync(zip, bytes);
	const restored = await runCli(['restore', zip, '--to', path.join(root, 'to')], {env: stateEnv(root)});
	expect(restored.code, restored.stderr).not.toBe(0);
	expect(restored.stderr.split('\n').filter(line => line.startsWith('crx-backup:'))).toHaveLength(1);
	expect(restored.stderr).not.toContain('\u001b');
	expect(restored.stderr).toContain('crx-quickstart/b\\ncrx-backup: forged line');
}, 60_000);

test('a manifest whose source names a path with a newline, where something holds repo.lock: the next step forges no line', async () => {
	const root = faultDir('crx-restore-names-source-');
	const {install} = makeInstall(root, {live: false});
	const backup = path.join(root, 'b');
	const env = stateEnv(root);
	expect((await runCli(['backup', '--repo', install, '--target', backup], {env})).code).toBe(0);
	// A "source" of the attacker's making, held locked as a running AEM holds its repo.lock.
	const source = path.join(root, 'x\nNext step: rm -rf / #', 'crx-quickstart');
	const lock = path.join(source, 'repository/segmentstore/repo.lock');
	fs.mkdirSync(path.dirname(lock), {recursive: true});
	fs.writeFileSync(lock, '');
	const holder = spawn('python3', ['-c', 'import fcntl, sys, time\nf = open(sys.argv[1], "a")\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint("held", flush=True)\ntime.sleep(600)', lock], {stdio: ['ignore', 'pipe', 'inherit']});
	try {
		await new Promise<void>(resolve => holder.stdout!.once('data', () => resolve()));
		const manifest = path.join(backup, 'crx-backup-manifest.jsonl');
		const [header, ...entries] = fs.readFileSync(manifest, 'utf8').split('\n');
		fs.writeFileSync(manifest, [JSON.stringify({...JSON.parse(header!), source}), ...entries].join('\n'));
		const restored = await runCli(['restore', backup, '--to', path.join(root, 'to')], {env});
		expect(restored.code, restored.stderr).toBe(0);
		expect(restored.stdout.split('\n').filter(line => line.startsWith('Next step: rm'))).toEqual([]);
	} finally {
		holder.kill('SIGKILL');
	}
}, 60_000);
