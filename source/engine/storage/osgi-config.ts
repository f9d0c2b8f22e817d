/**
 * OSGi configurations in the Sling configurator's `.cfg.json` form, and how a
 * value of any form is taken as text or a boolean. Felix's `.config` is read by
 * felix-config.ts and `.cfg`/`.properties` by java-properties.ts. Every file is
 * untrusted input: what cannot be read is said in `problems`, never thrown.
 */

export type ConfigValue = string | number | boolean | Array<string | number | boolean>;

export interface ParsedConfig {
	values: Record<string, ConfigValue>;
	/** What could not be read, one short phrase each (the caller names the file). */
	problems: string[];
}

/** A configuration bigger than this is not one AEM wrote: it is not read at all. */
export const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_VALUES = 1000;

/** The Sling configurator's JSON: type hints in keys (`"path:String"`) are dropped; comments are allowed there. */
export function parseJsonConfig(text: string): ParsedConfig {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		try {
			parsed = JSON.parse(stripJsonComments(text));
		} catch {
			return {values: {}, problems: ['not valid JSON']};
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {values: {}, problems: ['not a JSON object']};
	const values: Record<string, ConfigValue> = {};
	const problems: string[] = [];
	for (const [rawKey, value] of Object.entries(parsed as Record<string, unknown>).slice(0, MAX_VALUES)) {
		const key = rawKey.replace(/:[A-Za-z[\]]+$/, '');
		if (key.startsWith(':') || key === '__proto__') continue;
		if (['string', 'number', 'boolean'].includes(typeof value)) values[key] = value as string | number | boolean;
		else if (Array.isArray(value) && value.every(item => ['string', 'number', 'boolean'].includes(typeof item))) values[key] = value as Array<string | number | boolean>;
		else problems.push(`unreadable value of ${key}`);
	}
	return {values, problems};
}

/** Removes `//` and `/* *\/` comments outside strings. */
export function stripJsonComments(text: string): string {
	return text.replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (match, string: string | undefined) => string ?? '');
}

/**
 * A value as a boolean the way OSGi's converters take it: `B"true"`, or a text
 * `true` in any case (Boolean.valueOf, as from a `.cfg`).
 */
export const isTrue = (value: unknown) => value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
/** A value as a string, undefined for an array or nothing. */
export const asText = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
