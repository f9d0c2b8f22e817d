import {execFileSync, spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {cliPath, collectOutput, projectRoot, type CliResult} from './cli.js';

/**
 * A second, unprivileged local user for the attacks another account can make
 * (tests run as root in CI): created with useradd once, reused after. Each
 * helper returns a reason string instead when this machine cannot do it, so a
 * test can skip visibly rather than pass without trying.
 */
export const ATTACKER = 'crxattacker';

export interface LocalUser {
	name: string;
	uid: number;
	gid: number;
}

export function localUser(name = ATTACKER): LocalUser | string {
	if (process.getuid?.() !== 0) return 'the tests do not run as root, so they cannot act as another user';
	const id = (flag: string) => Number(execFileSync('id', [flag, name], {stdio: ['ignore', 'pipe', 'ignore']}).toString().trim());
	try {
		return {name, uid: id('-u'), gid: id('-g')};
	} catch {
		// Not there yet: make it (no home: each test gives it one of its own).
	}
	try {
		execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', name], {stdio: 'pipe'});
		return {name, uid: id('-u'), gid: id('-g')};
	} catch (error) {
		return `useradd ${name} failed: ${String((error as {stderr?: Buffer}).stderr ?? error).trim()}`;
	}
}

/** Runs a shell script as `user`, synchronously; throws with its stderr if it fails. */
export function shAs(user: LocalUser, script: string): string {
	return execFileSync('runuser', ['-u', user.name, '--', 'sh', '-c', script], {stdio: ['ignore', 'pipe', 'pipe']}).toString();
}

/** Gives `file` (a folder: everything under it) to `user`. */
export function chownTree(file: string, user: LocalUser): void {
	execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, file]);
}

/**
 * A copy of the built CLI that other users can run (the project may sit in a
 * folder only root can enter): dist and package.json copied under `dir`,
 * node_modules linked if others can read it. Returns the node binary and the
 * script, or a reason.
 */
export function cliForOthers(dir: string, user: LocalUser): {node: string; cli: string} | string {
	if ((fs.statSync(process.execPath).mode & 0o005) !== 0o005) return `${process.execPath} is not executable by other users`;
	const copy = path.join(dir, 'crx-backup');
	fs.mkdirSync(copy, {recursive: true, mode: 0o755});
	fs.cpSync(path.dirname(cliPath), path.join(copy, 'dist'), {recursive: true});
	fs.copyFileSync(path.join(projectRoot, 'package.json'), path.join(copy, 'package.json'));
	fs.symlinkSync(fs.realpathSync(path.join(projectRoot, 'node_modules')), path.join(copy, 'node_modules'));
	execFileSync('chmod', ['-R', 'a+rX', copy]);
	const cli = path.join(copy, 'dist', 'cli.js');
	try {
		shAs(user, `${quote(process.execPath)} ${quote(cli)} --version`);
	} catch (error) {
		return `${user.name} cannot run the CLI copy (is node_modules readable by others?): ${String((error as {stderr?: Buffer}).stderr ?? error).trim()}`;
	}
	return {node: process.execPath, cli};
}

/** Runs the CLI copy as `user` with exactly `env` (plus PATH and NO_COLOR): what that user's shell would start. */
export async function runCliAs(user: LocalUser, runner: {node: string; cli: string}, args: string[], env: Record<string, string>): Promise<CliResult> {
	const pairs = Object.entries({PATH: '/usr/local/bin:/usr/bin:/bin', NO_COLOR: '1', ...env}).map(([key, value]) => `${key}=${value}`);
	const child = spawn('runuser', ['-u', user.name, '--', 'env', '-i', ...pairs, runner.node, runner.cli, ...args], {cwd: '/', stdio: ['ignore', 'pipe', 'pipe']});
	return collectOutput(child);
}

export const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A file's bytes and mode, to show it was neither written nor chmod-ed through a link. */
export function fingerprint(file: string): string {
	const stat = fs.lstatSync(file);
	return `${(stat.mode & 0o7777).toString(8)} ${stat.uid} ${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}
