import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {shortPath, usageError} from '../platform/errors.js';
import {findConfigFiles, readBounded, type ConfigFile} from '../storage/config-files.js';
import {felixQuote, readFelixConfig} from '../storage/felix-config.js';
import {PIDS} from '../storage/layout.js';
import {stripJsonComments} from '../storage/osgi-config.js';

/**
 * --point-config: every FileDataStore configuration in the restored install whose
 * `path` names the datastore's old place gets the new one, wherever AEM would read
 * it: install/** (run mode folders included: the restored AEM may run under other
 * modes) and Felix's copy in launchpad/config, as Adobe's assets migration guide
 * edits both. A `.config` keeps every other byte and gets the value as Felix writes
 * it (felixQuote: no newline ever reaches the file); a `.cfg.json` is written again
 * as JSON. A `.cfg` or `.properties` naming the old place is refused (exit 2), as is
 * a `.config` Felix cannot read but that holds the old place: they cannot be
 * rewritten so that AEM reads the new one back. Runs in the restore's private
 * staging folder; every folder on the way and the file itself are lstat'ed (a link
 * in the backup is never written through), the file is replaced by rename.
 * Returns the files rewritten, relative to crx-quickstart.
 */
export function pointConfigs(quickstartStaging: string, oldPath: string | undefined, newPath: string, sourceInstall: string | undefined): string[] {
	if (oldPath === undefined) return [];
	const warnings: string[] = [];
	const install = path.join(quickstartStaging, 'install');
	if (fs.lstatSync(install, {throwIfNoEntry: false})?.isSymbolicLink()) return [];
	const files = findConfigFiles(quickstartStaging, PIDS.file, warnings);
	const names = (value: unknown) => typeof value === 'string' && value !== '' && (value === oldPath || (sourceInstall !== undefined && path.resolve(sourceInstall, value) === oldPath));
	const targets: ConfigFile[] = [];
	for (const file of files) {
		if (!realFolders(quickstartStaging, file.rel)) continue;
		if (file.values ? !names(file.values['path']) : !rawMention(file, oldPath)) continue;
		if (!file.values) {
			throw usageError(`crx-quickstart/${file.rel} names the datastore's old place ${shortPath(oldPath)} but cannot be read as AEM reads it (${file.unreadable}), so --point-config cannot rewrite it: restore without --point-config and fix it by hand.`);
		}
		if (!/\.(?:config|cfg\.json)$/.test(file.rel)) {
			throw usageError(`crx-quickstart/${file.rel} names the datastore's old place ${shortPath(oldPath)}, and --point-config rewrites only Felix .config and .cfg.json files (a .cfg or .properties file follows java.util.Properties escapes): restore without --point-config and set its path to ${newPath} by hand.`);
		}
		targets.push(file);
	}
	// Every file is checked before the first is written: a refusal leaves them all as they were.
	const updates = targets.map(file => ({file, text: rewrite(file, newPath)}));
	for (const {file, text} of updates) {
		const stat = fs.lstatSync(file.file);
		const temp = `${file.file}.${crypto.randomBytes(6).toString('hex')}.crx-backup.tmp`;
		fs.writeFileSync(temp, text, {flag: 'wx', mode: stat.mode & 0o777});
		fs.renameSync(temp, file.file);
	}
	return updates.map(({file}) => file.rel);
}

/** Whether every folder from crx-quickstart down to the file, and the file, are what they seem (no link). */
function realFolders(quickstart: string, rel: string): boolean {
	let at = quickstart;
	const parts = rel.split('/');
	for (const part of parts.slice(0, -1)) {
		at = path.join(at, part);
		if (!fs.lstatSync(at, {throwIfNoEntry: false})?.isDirectory()) return false;
	}
	return fs.lstatSync(path.join(at, parts.at(-1)!), {throwIfNoEntry: false})?.isFile() ?? false;
}

/** An unreadable file that holds the old path as text (written raw or Felix-escaped). */
function rawMention(file: ConfigFile, oldPath: string): boolean {
	const text = readBounded(file.file, [])?.toString('utf8') ?? '';
	return text.includes(oldPath) || text.includes(felixQuote(oldPath));
}

function rewrite(file: ConfigFile, newPath: string): string {
	const text = readBounded(file.file, [])!.toString('utf8');
	if (file.rel.endsWith('.cfg.json')) {
		const values = JSON.parse(stripJsonComments(text)) as Record<string, unknown>;
		for (const key of Object.keys(values)) if (/^path(?::|$)/.test(key)) delete values[key];
		return `${JSON.stringify({...values, path: newPath}, null, 2)}\n`;
	}
	const span = readFelixConfig(text, {skipFirstComment: file.where === 'install'}).spans['path']!;
	return `${text.slice(0, span.start)}"${felixQuote(newPath)}"${text.slice(span.end)}`;
}
