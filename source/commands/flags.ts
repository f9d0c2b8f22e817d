import type {AnyFlags} from 'meow';
import {defaultValue, flagOf, optionEntries, type Flags, type OptionKey} from '../engine/options/index.js';
import type {Front} from '../engine/options/option.js';

/**
 * meow's flags, drawn from the option registry. No defaults here: a boolean or a
 * value not given stays absent, so givenOptions can tell what was typed (a list
 * not given is meow's empty list); withDefaults fills them in afterwards.
 */
export const meowFlags: AnyFlags = Object.fromEntries(optionEntries.map(entry => [
	entry.key,
	entry.kind === 'list' ? {type: 'string', isMultiple: true} : {type: entry.kind},
]));

/** The registry's options given on the command line, by key (--no-external-datastore is externalDatastore). */
export function givenOptions(parsed: Record<string, unknown>): OptionKey[] {
	return optionEntries.filter(entry => {
		const value = parsed[entry.key];
		return value !== undefined && !(Array.isArray(value) && value.length === 0);
	}).map(entry => entry.key);
}

/**
 * The flags a command gets: a boolean or a list not given at its default, a value not given read from the
 * environment where its entry says so for `front` (RESTIC_REPOSITORY for push), else absent (not a key
 * holding undefined: a spread of the flags over other values, such as the demo's prefill, must not erase them).
 */
export function withDefaults(parsed: Record<string, unknown>, front?: Front, env: NodeJS.ProcessEnv = process.env): Flags {
	return Object.fromEntries(optionEntries.flatMap(entry => {
		const fromEnvironment = front !== undefined && entry.environment?.commands.includes(front) ? entry.environment : undefined;
		const value = parsed[entry.key] ?? fromEnvironment?.read(env) ?? defaultValue(entry);
		return value === undefined ? [] : [[entry.key, value]];
	})) as unknown as Flags;
}

/**
 * A boolean flag written as it is never meant: with a value (`--keep=maybe`: meow would read it as some boolean and
 * run, the value silently dropped) or twice (a value flag given twice is refused by meow; a boolean must be too).
 * Read from the arguments as typed, up to `--`; the sentence's end (`; see …`) is the caller's. Undefined when fine.
 */
export function booleanMisuse(argv: readonly string[]): string | undefined {
	const booleans = new Map(optionEntries.filter(entry => entry.kind === 'boolean').map(entry => [kebab(entry.key), entry]));
	const seen = new Set<string>();
	for (const token of argv) {
		if (token === '--') break;
		const match = /^--([^=]+)(?:=([\s\S]*))?$/.exec(token);
		if (!match) continue;
		const name = kebab(match[1]!);
		const entry = booleans.get(name) ?? (name.startsWith('no-') ? booleans.get(name.slice(3)) : undefined);
		if (!entry) continue;
		if (match[2] !== undefined) return `--${name} takes no value (got "${match[2]}")`;
		if (seen.has(entry.key)) return `the flag ${flagOf(entry)} can only be set once`;
		seen.add(entry.key);
	}
	return undefined;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
