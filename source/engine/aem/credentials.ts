import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {usageError} from '../errors.js';

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
 * AEM's user and password for `url`: the password from CRX_BACKUP_AEM_PASSWORD,
 * else from ~/.netrc's entry for the URL's host. The user is --aem-user, else the
 * .netrc entry's login, else admin. No password anywhere is bad input.
 */
export function aemCredentials(url: URL, user: string | undefined): AemCredentials {
	const password = environmentPassword();
	let entry: NetrcEntry | undefined;
	try {
		entry = netrcEntry(fs.readFileSync(netrcFile(), 'utf8'), url.hostname);
	} catch {
		entry = undefined; // No .netrc: only the environment can give the password.
	}
	const found = password ?? entry?.password;
	if (found === undefined) throw usageError(`No password for AEM at ${url.host}: set ${AEM_PASSWORD_ENV} or add "machine ${url.hostname} login admin password …" to ~/.netrc.`);
	return {user: user ?? entry?.login ?? 'admin', password: found};
}
