import fs from 'node:fs';
import path from 'node:path';
import {readBounded} from './config-files.js';
import {PropertiesSyntaxError, readJavaProperties} from './java-properties.js';

/**
 * AEM's framework properties and run modes, as far as files show them: Sling's
 * `sling.properties` (crx-quickstart/conf/ and crx-quickstart/, java.util.Properties
 * with `${name}` substitution) and the JVM's `-Dname=value` options in
 * crx-quickstart/bin/start, which override them (system properties win in Sling's
 * launcher). Run modes are the union of `sling.run.modes` there and bin/start's
 * `CQ_RUNMODE` (AEM's script passes it as -Dsling.run.modes; the installation's own
 * modes stay from sling.properties). An environment that sets CQ_RUNMODE or JVM
 * options outside bin/start is not visible here.
 */
export interface Framework {
	/** A property's value as AEM would see it; undefined when not set, `unknown` when it holds what cannot be resolved. */
	get(name: string): {value: string; from: string} | {unknown: string; from: string} | undefined;
	/** The active run modes, or undefined when no file names any. */
	runModes?: Set<string>;
	/** Where the run modes were read, for a sentence. */
	runModesFrom: string[];
	/** Files AEM reads that crx-backup could not read whole (too big, a link, no permission): what they set is not known. */
	unread: string[];
}

const START_SCRIPT = 'bin/start';
const SCRIPT_BYTES = 256 * 1024;

export function readFramework(quickstart: string, warnings: string[]): Framework {
	const properties = new Map<string, {raw: string; from: string}>();
	const unread: string[] = [];
	for (const rel of ['sling.properties', 'conf/sling.properties']) {
		const bytes = readBounded(path.join(quickstart, rel), warnings);
		if (!bytes) {
			if (fs.lstatSync(path.join(quickstart, rel), {throwIfNoEntry: false})) unread.push(`crx-quickstart/${rel}`);
			continue;
		}
		try {
			for (const [name, raw] of Object.entries(readJavaProperties(bytes))) properties.set(name, {raw, from: `crx-quickstart/${rel}`});
		} catch (error) {
			if (!(error instanceof PropertiesSyntaxError)) throw error;
			warnings.push(`crx-quickstart/${rel} cannot be read (${error.message}): AEM's framework properties may be incomplete.`);
		}
	}
	const runModes = new Set<string>();
	const runModesFrom: string[] = [];
	const fromFile = properties.get('sling.run.modes');
	if (fromFile) {
		for (const mode of splitModes(fromFile.raw)) runModes.add(mode);
		runModesFrom.push(fromFile.from);
	}
	const script = scriptOptions(quickstart, warnings);
	if (script.unread) unread.push(`crx-quickstart/${START_SCRIPT}`);
	for (const [name, raw] of script.options) properties.set(name, {raw, from: `crx-quickstart/${START_SCRIPT}`});
	if (script.runModes.length > 0) {
		for (const mode of script.runModes.flatMap(splitModes)) runModes.add(mode);
		runModesFrom.push(`crx-quickstart/${START_SCRIPT}`);
	}
	const get: Framework['get'] = name => {
		const entry = properties.get(name);
		if (!entry) return undefined;
		const value = substitute(entry.raw, properties, quickstart);
		return value === undefined ? {unknown: entry.raw, from: entry.from} : {value, from: entry.from};
	};
	return {get, ...(runModesFrom.length > 0 ? {runModes} : {}), runModesFrom, unread};
}

const splitModes = (text: string) => text.split(',').map(mode => mode.trim()).filter(Boolean);

/**
 * `${name}` from the other properties (sling.home is crx-quickstart itself); undefined
 * when one cannot be resolved, or when resolving takes more than a budget of
 * substitutions or grows past 4 KiB (a file could nest references exponentially).
 */
function substitute(raw: string, properties: Map<string, {raw: string}>, quickstart: string, budget = {left: 1000}, depth = 0): string | undefined {
	if (depth > 8) return undefined;
	let unresolved = false;
	const value = raw.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
		if (unresolved || --budget.left < 0) {
			unresolved = true;
			return '';
		}
		if (name === 'sling.home') return quickstart;
		const entry = properties.get(name);
		const inner = entry ? substitute(entry.raw, properties, quickstart, budget, depth + 1) : undefined;
		if (inner === undefined) unresolved = true;
		return inner ?? '';
	});
	return unresolved || value.includes('$') || value.length > 4096 ? undefined : value;
}

/**
 * The `-Dname=value` options bin/start passes to the JVM, and its CQ_RUNMODE
 * assignments. Shell is not interpreted: a value is taken as written (quotes
 * removed), a `$VAR` in it resolves only from this script's own literal
 * assignments, and anything else makes the value unresolved (`$` kept).
 */
function scriptOptions(quickstart: string, warnings: string[]): {options: Map<string, string>; runModes: string[]; unread?: boolean} {
	const file = path.join(quickstart, START_SCRIPT);
	const bytes = readBounded(file, warnings, SCRIPT_BYTES);
	const options = new Map<string, string>();
	const runModes: string[] = [];
	if (!bytes) return {options, runModes, unread: fs.lstatSync(file, {throwIfNoEntry: false}) !== undefined};
	const lines = bytes.toString('utf8').split('\n').filter(line => !/^\s*#/.test(line));
	const assigned = new Map<string, string>();
	for (const line of lines) {
		const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("([^"$`\\]*)"|'([^']*)'|([^\s"'$`;&|\\]*))\s*(?:;|$)/.exec(line.replace(/^\s*(?:if\b.*\bthen\s+|else\s+)/, ''));
		if (assignment) assigned.set(assignment[1]!, assignment[3] ?? assignment[4] ?? assignment[5] ?? '');
		if (assignment?.[1] === 'CQ_RUNMODE') runModes.push(assigned.get('CQ_RUNMODE')!);
	}
	const expand = (value: string) => value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (match, name: string) => assigned.get(name) ?? match);
	for (const line of lines) {
		for (const option of line.matchAll(/(?:^|[\s"'])-D([A-Za-z0-9_.-]+)=("[^"]*"|'[^']*'|[^\s"';&|]*)/g)) {
			const value = expand(option[2]!.replace(/^(["'])(.*)\1$/, '$2'));
			options.set(option[1]!, value);
			if (option[1] === 'sling.run.modes' && !value.includes('$')) runModes.push(value);
		}
	}
	return {options, runModes};
}
