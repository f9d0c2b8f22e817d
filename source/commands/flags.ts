import type {AnyFlags} from 'meow';
import {defaultValue, optionEntries, type Flags, type OptionKey} from '../engine/options/index.js';
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
