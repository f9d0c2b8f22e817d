import {backupOptionDescriptors, restoreOptionDescriptors} from './descriptors.js';

/**
 * The engine's one-sentence refusals name CLI flags ("pass --snapshot-cmd, or use
 * --method online"); in the TUI nobody types a flag. This says the same sentence
 * in the TUI's words: the field to set or clear (and where it is), and the key
 * that changes the method. The fields' labels come from the option registry, so
 * a new option is worded without touching this file.
 */
const inOptions = new Set(backupOptionDescriptors.filter(option => !option.always).map(option => option.flag));
const toggles = new Set([...backupOptionDescriptors, ...restoreOptionDescriptors].filter(option => option.kind === 'toggle').map(option => option.flag));
const fieldOf = new Map<string, string>([
	...restoreOptionDescriptors.map(option => [option.flag, option.label] as const),
	...backupOptionDescriptors.map(option => [option.flag, option.label] as const),
	['--datastore-to', 'the datastore folder'],
	['--target', 'Target'],
]);
const flag = /--[a-z][a-z-]*/g;
const named = (text: string) => fieldOf.get(text) ?? text;

export function tuiWords(sentence: string): string {
	return sentence
		// The method is a key, not a field.
		.replace(/\buse --method (online|snapshot|offline)( or (online|snapshot|offline))?/g, (_all, first: string, _or, second?: string) => `Ctrl+O for ${first}${second ? ` or ${second}` : ''}`)
		.replace(/--method (online|snapshot|offline)( or (online|snapshot|offline))?/g, (_all, first: string, _or, second?: string) => `the ${first}${second ? ` or ${second}` : ''} method (Ctrl+O)`)
		// "pass --x" / "give --x": the field to fill in, and where it is.
		.replace(/\b(?:pass|give)( a shorter)? (--[a-z][a-z-]*)/g, (_all, _shorter, given: string) => `${toggles.has(given) ? 'tick' : 'set'} ${named(given)}${inOptions.has(given) ? ' in Options' : ''}`)
		// "set the window with --x": the field that sets it, and where.
		.replace(/\bset the [a-z]+ with (--[a-z][a-z-]*)/g, (_all, given: string) => `set ${named(given)}${inOptions.has(given) ? ' in Options' : ''}`)
		// "leave out --a and --b, or --c": the fields to clear.
		.replace(/\bleave out ((?:--[a-z][a-z-]*)(?:(?:,| and| or|, or) --[a-z][a-z-]*)*)/g, (_all, flags: string) => `clear ${flags.replace(flag, given => named(given)).replace(', or ', ', or clear ')}`)
		.replace(flag, given => named(given));
}
