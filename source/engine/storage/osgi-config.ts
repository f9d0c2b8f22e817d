/**
 * OSGi configurations as AEM keeps them: Felix's `.config` syntax (typed values,
 * `key=B"true"`, arrays, escapes, comments), the Sling configurator's
 * `.cfg.json`, and plain `.cfg` properties. Every file is untrusted input: a
 * value this parser cannot read is left out and said in `problems`, never thrown.
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

export function parseConfig(name: string, text: string): ParsedConfig {
	if (name.endsWith('.cfg.json')) return parseJsonConfig(text);
	if (name.endsWith('.cfg')) return parseProperties(text);
	return parseFelixConfig(text);
}

/** Felix ConfigurationHandler's format: `key=T"value"`, `key=T[ "a", "b" ]`, `key=T( ... )`; `#` starts a comment line. */
export function parseFelixConfig(text: string): ParsedConfig {
	const values: Record<string, ConfigValue> = Object.create(null);
	const problems: string[] = [];
	let at = 0;
	const skipBlank = () => {
		for (;;) {
			while (at < text.length && /\s/.test(text[at]!)) at++;
			if (text[at] !== '#') return;
			while (at < text.length && text[at] !== '\n') at++;
		}
	};
	const skipLine = () => {
		while (at < text.length && text[at] !== '\n') at++;
	};
	while (Object.keys(values).length < MAX_VALUES) {
		skipBlank();
		if (at >= text.length) break;
		const key = /^[A-Za-z0-9_.\-:$]+/.exec(text.slice(at, at + 256))?.[0];
		if (!key) {
			problems.push(`unreadable line ${lineOf(text, at)}`);
			skipLine();
			continue;
		}
		at += key.length;
		while (text[at] === ' ' || text[at] === '\t') at++;
		if (text[at] !== '=') {
			problems.push(`no "=" after ${key}`);
			skipLine();
			continue;
		}
		at++;
		while (text[at] === ' ' || text[at] === '\t') at++;
		const type = /[TIiLlFfDdXxSsCcBb]/.test(text[at] ?? '') && /["[(]/.test(text[at + 1] ?? '') ? text[at++]! : 'T';
		const value = readValue(type);
		if (value === undefined) {
			problems.push(`unreadable value of ${key}`);
			skipLine();
			continue;
		}
		if (key !== '__proto__') values[key] = value;
	}
	return {values: {...values}, problems};

	function readValue(type: string): ConfigValue | undefined {
		const open = text[at];
		if (open === '"') {
			const raw = readString();
			return raw === undefined ? undefined : typed(type, raw);
		}
		if (open === '[' || open === '(') {
			const close = open === '[' ? ']' : ')';
			at++;
			const items: Array<string | number | boolean> = [];
			for (;;) {
				while (at < text.length && (/\s/.test(text[at]!) || text[at] === ',' || text[at] === '\\')) at++;
				if (text[at] === close) {
					at++;
					return items;
				}
				if (text[at] !== '"' || items.length >= MAX_VALUES) return undefined;
				const raw = readString();
				if (raw === undefined) return undefined;
				items.push(typed(type, raw));
			}
		}
		// Unquoted literals (older files): a word up to the end of the line.
		const word = /^[^\s#]+/.exec(text.slice(at, at + 4096))?.[0];
		if (!word) return undefined;
		at += word.length;
		return typed(type, word);
	}

	function readString(): string | undefined {
		at++; // the opening quote
		let out = '';
		while (at < text.length) {
			const c = text[at++]!;
			if (c === '"') return out;
			if (c === '\n') return undefined;
			if (c !== '\\') {
				out += c;
				continue;
			}
			const next = text[at++];
			if (next === undefined) return undefined;
			if (next === 'u' && /^[0-9a-fA-F]{4}/.test(text.slice(at, at + 4))) {
				out += String.fromCharCode(Number.parseInt(text.slice(at, at + 4), 16));
				at += 4;
			} else {
				out += ({n: '\n', r: '\r', t: '\t', b: '\b', f: '\f'} as Record<string, string>)[next] ?? next;
			}
		}
		return undefined;
	}
}

function typed(type: string, raw: string): string | number | boolean {
	if (/[Bb]/.test(type)) return raw.trim().toLowerCase() === 'true';
	if (/[IiLlSsXxFfDd]/.test(type)) {
		const n = Number(raw.trim());
		return Number.isFinite(n) ? n : raw;
	}
	if (type === 'T' && /^(true|false)$/i.test(raw) && !raw.startsWith('"')) return raw.toLowerCase() === 'true';
	return raw;
}

const lineOf = (text: string, at: number) => text.slice(0, at).split('\n').length;

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
function stripJsonComments(text: string): string {
	return text.replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (match, string: string | undefined) => string ?? '');
}

/** `.cfg`: Java properties, `key=value` or `key: value`, `#`/`!` comments. */
export function parseProperties(text: string): ParsedConfig {
	const values: Record<string, ConfigValue> = {};
	for (const line of text.split('\n').slice(0, MAX_VALUES)) {
		const trimmed = line.trim();
		if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
		const match = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(trimmed);
		if (match && match[1] !== '__proto__') values[match[1]!] = match[2]!;
	}
	return {values, problems: []};
}

/** A value as a boolean (`B"true"`, `"true"`, true). */
export const isTrue = (value: ConfigValue | undefined) => value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
/** A value as a string, undefined for an array or nothing. */
export const asText = (value: ConfigValue | undefined) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
