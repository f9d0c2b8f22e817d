import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {usageError} from '../platform/errors.js';

/** The environment variable that may hold AEM's password (never a flag: argv is visible in the process list). */
export const AEM_PASSWORD_ENV = 'CRX_BACKUP_AEM_PASSWORD';

export interface AemCredentials {
	user: string;
	password: string;
}

/**
 * Read once and removed from this process's environment, so no child (a freeze
 * command, a snapshot tool) inherits it; later calls get the remembered value.
 */
let fromEnvironment: string | undefined;
function environmentPassword(): string | undefined {
	const value = process.env[AEM_PASSWORD_ENV];
	if (value !== undefined) {
		delete process.env[AEM_PASSWORD_ENV];
		if (value !== '') fromEnvironment = value;
	}
	return fromEnvironment;
}

interface NetrcEntry {
	login?: string;
	password?: string;
}

/**
 * A .netrc's entry for `host` (else its `default` entry), parsed as ftp(1) and curl
 * do: tokens split by any white space, `machine`/`default` start an entry, `macdef`
 * runs to the next blank line, `#` starts a comment at a token's start, and a
 * double-quoted token may hold spaces (curl). An unreadable file is no entry.
 */
export function netrcEntry(text: string, host: string): NetrcEntry | undefined {
	const tokens = tokenize(text);
	let current: NetrcEntry | undefined;
	let found: NetrcEntry | undefined;
	let fallback: NetrcEntry | undefined;
	for (let i = 0; i < tokens.length; i++) {
		const token = tokens[i]!;
		if (token === 'machine') {
			current = {};
			if ((tokens[++i] ?? '').toLowerCase() === host.toLowerCase() && !found) found = current;
		} else if (token === 'default') {
			current = {};
			fallback ??= current;
		} else if ((token === 'login' || token === 'password') && current) {
			current[token] = tokens[++i];
		} else if (token === 'account' || token === 'port') {
			i++;
		}
	}
	return found ?? fallback;
}

function tokenize(text: string): string[] {
	const tokens: string[] = [];
	const lines = text.split(/\r?\n/);
	for (let n = 0; n < lines.length; n++) {
		const line = lines[n]!;
		const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
		for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
			const token = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!;
			if (match[1] === undefined && token.startsWith('#')) break;
			if (token === 'macdef') {
				while (n + 1 < lines.length && lines[n + 1]!.trim() !== '') n++; // A macro's body is not tokens.
				break;
			}
			tokens.push(token);
		}
	}
	return tokens;
}

function netrcFile(): string {
	return process.env.NETRC || path.join(process.env.HOME || os.homedir(), '.netrc');
}

/**
 * ~/.netrc as ftp(1) reads it: a file others may read or write, or that belongs to
 * another user, is warned about (ftp refuses to use a password from it). At
 * most 64 KiB are read (a link is followed: it is the user's own home); undefined when there is none.
 */
function readNetrc(file: string, warnings: string[]): string | undefined {
	let fd: number;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
	} catch {
		return undefined; // No .netrc: only the environment can give the password.
	}
	try {
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) return undefined;
		const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
		if (stat.mode & 0o077) warnings.push(`${file} can be read or written by other users (mode ${mode}), and it holds AEM's password: run chmod 600 ${file} (ftp refuses such a file).`);
		if (process.getuid && stat.uid !== process.getuid()) warnings.push(`${file} belongs to another user (uid ${stat.uid}), who can change the password crx-backup sends to AEM: make it yours, mode 600.`);
		const buffer = Buffer.alloc(Math.min(stat.size, 64 * 1024));
		return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
	} finally {
		fs.closeSync(fd);
	}
}

/** 127.0.0.0/8, ::1 and localhost: a password sent there does not cross a network. */
export function isLoopback(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host) || /^::ffff:127(?:\.\d{1,3}){3}$/.test(host);
}

export interface AemLogin extends AemCredentials {
	/** What the operator should know about how the password is kept or sent. */
	warnings: string[];
}

/**
 * AEM's user and password for `url`: the password from CRX_BACKUP_AEM_PASSWORD,
 * else from ~/.netrc's entry for the URL's host. The user is --aem-user, else the
 * .netrc entry's login, else admin. No password anywhere is bad input. Warns when
 * the password travels in basic auth over plain http:// to a host that is not this
 * one, and when the .netrc that gave it is open to other users.
 */
export function aemCredentials(url: URL, user: string | undefined): AemLogin {
	const password = environmentPassword();
	const warnings: string[] = [];
	const netrcWarnings: string[] = [];
	const text = readNetrc(netrcFile(), netrcWarnings);
	const entry = text === undefined ? undefined : netrcEntry(text, url.hostname);
	const found = password ?? entry?.password;
	if (found === undefined) throw usageError(`No password for AEM at ${url.host}: set ${AEM_PASSWORD_ENV} or add "machine ${url.hostname} login admin password …" to ~/.netrc.`);
	if (password === undefined) warnings.push(...netrcWarnings);
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		warnings.push(`AEM's password goes to ${url.origin} over plain HTTP (basic auth), readable by anyone on the network between: use https://, or a tunnel to localhost.`);
	}
	return {user: user ?? entry?.login ?? 'admin', password: found, warnings};
}
