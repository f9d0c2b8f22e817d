import {execFileSync, spawn} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {cliPath} from './cli.js';

/** The second, unprivileged local user the security tests attack with (CI runs as root and creates it). */
export const ATTACKER = 'crxattacker';

export const isRoot = () => process.getuid?.() === 0;

/** Creates the attacker user once, idempotently (other test files may race to create it too). */
export function ensureAttacker(): void {
	const exists = () => {
		try {
			execFileSync('id', ['-u', ATTACKER], {stdio: 'ignore'});
			return true;
		} catch {
			return false;
		}
	};
	if (exists()) return;
	try {
		execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ATTACKER], {stdio: 'ignore'});
	} catch (error) {
		if (!exists()) throw error;
	}
}

export const attackerIds = (): {uid: number; gid: number} => ({
	uid: Number(execFileSync('id', ['-u', ATTACKER], {encoding: 'utf8'}).trim()),
	gid: Number(execFileSync('id', ['-g', ATTACKER], {encoding: 'utf8'}).trim()),
});

/** Runs the built CLI as the attacker user (runuser), without a terminal. */
export function runCliAs(user: string, args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn('runuser', ['-u', user, '--', process.execPath, cliPath, ...args], {cwd: '/', env: {...process.env, NO_COLOR: '1', HOME: '/nonexistent'}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
	child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
	return new Promise(resolve => child.on('close', code => resolve({code, stdout, stderr})));
}

/**
 * A checksum of every path, kind, mode and content below `root` (links by their
 * target, never followed): the "sentinel tree" an attack must leave unchanged.
 */
export function treeChecksum(root: string): string {
	const hash = crypto.createHash('sha256');
	const walk = (dir: string, rel: string) => {
		for (const name of fs.readdirSync(dir).sort()) {
			const full = path.join(dir, name);
			const stat = fs.lstatSync(full);
			const at = `${rel}/${name} ${(stat.mode & 0o7777).toString(8)}`;
			if (stat.isSymbolicLink()) hash.update(`${at} link ${fs.readlinkSync(full)}\n`);
			else if (stat.isDirectory()) {
				hash.update(`${at} dir\n`);
				walk(full, `${rel}/${name}`);
			} else hash.update(`${at} file ${stat.size} `).update(fs.readFileSync(full)).update('\n');
		}
	};
	walk(root, '');
	return hash.digest('hex');
}

/** A sentinel tree: `files` small files, and `folders` folders of as many, returned with its checksum. */
export function makeSentinel(root: string, folders = 3, files = 5): {root: string; checksum: string} {
	for (let folder = 0; folder < folders; folder++) {
		fs.mkdirSync(path.join(root, `s${folder}`), {recursive: true});
		for (let file = 0; file < files; file++) fs.writeFileSync(path.join(root, `s${folder}`, `precious-${file}.txt`), `precious ${folder}/${file}\n`);
	}
	fs.mkdirSync(root, {recursive: true});
	for (let file = 0; file < files; file++) fs.writeFileSync(path.join(root, `precious-${file}.txt`), `precious ${file}\n`);
	return {root, checksum: treeChecksum(root)};
}
