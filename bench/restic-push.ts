/**
 * The nightly push figure: the second night's `crx-backup push` of a 1 GiB fixture with 1 % of its files changed
 * must add at most 5 % of the first push's bytes to the restic repository (restic's own data_added, as push
 * reports it). Two directory backups with --link-dest, each pushed to a fresh local restic repository.
 * Run: npm run build && npx tsx bench/restic-push.ts [--size 1GiB]
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {parseSize} from '../source/demo/size.js';
import {buildFixture, mutate, onePercent} from './fixture.js';

const sizeArg = process.argv.indexOf('--size');
const sizeBytes = parseSize(sizeArg > 0 ? process.argv[sizeArg + 1]! : '1GiB')!;
const work = path.join(path.dirname(new URL(import.meta.url).pathname), 'work', 'push');
fs.rmSync(work, {recursive: true, force: true});
fs.mkdirSync(path.join(work, 'backups'), {recursive: true});
const cli = path.resolve('dist/cli.js');
const env = {
	...process.env, CRX_BACKUP_STATE_DIR: path.join(work, 'state'), XDG_CACHE_HOME: path.join(work, 'cache'),
	RESTIC_PASSWORD_FILE: path.join(work, 'password'), RESTIC_PASSWORD: '', RESTIC_PASSWORD_COMMAND: '',
};
fs.writeFileSync(env.RESTIC_PASSWORD_FILE, 'bench-only\n', {mode: 0o600});
const repo = path.join(work, 'restic');
execFileSync('restic', ['init', '--repo', repo], {env, stdio: 'ignore'});

const fixture = await buildFixture(path.join(work, 'aem'), sizeBytes, 0);
const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json'], {env, encoding: 'utf8', maxBuffer: 1 << 26})) as {push: {dataAdded: number; snapshotId: string}};
const night = (name: string) => path.join(work, 'backups', name);

const started1 = Date.now();
const first = run('backup', '--repo', fixture.install, '--target', night('night1'), '--push', repo).push;
const ms1 = Date.now() - started1;
const changed = onePercent(fixture.paths);
mutate(fixture.install, changed);
await new Promise(resolve => setTimeout(resolve, 2100)); // Not "racy" for the engine.
const started2 = Date.now();
const second = run('backup', '--repo', fixture.install, '--target', night('night2'), '--link-dest', night('night1'), '--push', repo).push;
const ms2 = Date.now() - started2;
const share = (100 * second.dataAdded) / first.dataAdded;
process.stdout.write([
	`fixture: ${fixture.paths.length.toLocaleString('en-US')} files, ${(sizeBytes / 2 ** 30).toFixed(2)} GiB; ${changed.length} files changed (1 %)`,
	`first night: backup + push ${(ms1 / 1000).toFixed(1)} s, restic data_added ${first.dataAdded.toLocaleString('en-US')} bytes`,
	`second night: backup --link-dest + push ${(ms2 / 1000).toFixed(1)} s, restic data_added ${second.dataAdded.toLocaleString('en-US')} bytes`,
	`second push adds ${share.toFixed(2)} % of the first (goal ≤ 5 %): ${share <= 5 ? '✔' : '✖'}`,
	'',
].join('\n'));
fs.rmSync(work, {recursive: true, force: true});
