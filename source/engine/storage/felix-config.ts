/**
 * Felix ConfigAdmin's `.config` format, read and written by the rules of
 * `org.apache.felix.cm.file.ConfigurationHandler` (apache/felix-dev), which is
 * what AEM itself uses for `crx-quickstart/install/*.config` (through Sling's
 * installer) and `launchpad/config/**.config`, quirks included:
 *
 *  - An entry is a key, `=`, then a value: an optional one-letter type code
 *    (`TIiLlFfDdXxSsCcBb`) directly followed by `"…"`, `[ "…", … ]` or `( "…", … )`.
 *  - A quoted text, and a key, end at an unescaped space, `=` or `"`: a value with an
 *    unescaped space stops there and the rest of the file no longer parses.
 *  - Escapes: `\b \t \n \f \r \uXXXX`; any other `\x` is `x`. A newline inside quotes is kept.
 *  - `#` starts a comment only where a key may start. Reading stops silently at the
 *    first thing that is not a key (a `[`, say); a key without `=` is an error.
 *  - `F`/`f` and `D`/`d` hold the raw IEEE bits (Float.intBitsToFloat, Double.longBitsToDouble).
 *  - A value that is neither typed-and-quoted nor quoted is skipped (its key is not set).
 *  - A `\` line break is allowed between array or collection items only.
 *
 * Sling's installer also skips a first line that starts with `#` (InternalResource.readDictionary).
 */

export type FelixValue = string | number | boolean | bigint | Array<string | number | boolean | bigint>;

export interface FelixConfig {
	values: Record<string, FelixValue>;
	/** Where each key's value is written in the text ([start, end) offsets): what a rewrite replaces. */
	spans: Record<string, {start: number; end: number}>;
}

/** Why Felix could not read a file: it then applies none of it. */
export class FelixSyntaxError extends Error {}

const TYPE_CODES = 'TIiLlFfDdXxSsCcBb';
const NAME_CHARS = /[0-9a-zA-Z_\-.\\]/;
const TOKEN_CHARS = new Set(['=', '[', ']', '(', ')', ',', '"', ...TYPE_CODES]);
/** Java's Character.isWhitespace: not JavaScript's \s (no U+00A0, no BOM; U+001C–U+001F are). */
const JAVA_SPACE = /^[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]$/;
const leadingSpace = (text: string) => {
	let n = 0;
	while (n < text.length && JAVA_SPACE.test(text[n]!)) n++;
	return n;
};

/** Reads a `.config` text as Felix does; throws FelixSyntaxError where Felix throws. */
export function readFelixConfig(text: string, options: {skipFirstComment?: boolean} = {}): FelixConfig {
	let at = 0;
	if (options.skipFirstComment && text.startsWith('#')) {
		const newline = text.indexOf('\n');
		if (newline < 0) throw new FelixSyntaxError('a comment line that never ends');
		at = newline + 1;
	}
	const values: Record<string, FelixValue> = Object.create(null);
	const spans: Record<string, {start: number; end: number}> = Object.create(null);
	/** PushbackReader.read with ConfigurationHandler's \r\n and \r as \n; -1 at the end. */
	const read = (): string | -1 => {
		if (at >= text.length) {
			at = text.length + 1; // A read past the end still moves, so an unread puts it back.
			return -1;
		}
		const c = text[at++]!;
		if (c === '\r') {
			if (text[at] === '\n') at++;
			return '\n';
		}
		return c;
	};
	const unread = (c: string | -1, from: number) => {
		if (c !== -1 || at > text.length) at = from;
	};
	const whitespace = (): string | -1 => {
		for (;;) {
			const c = read();
			if (c === -1 || !JAVA_SPACE.test(c)) return c;
		}
	};

	function readQuoted(): string {
		let out = '';
		for (;;) {
			const from = at;
			const c = read();
			if (c === -1 || c === ' ' || c === '=' || c === '"') {
				unread(c, from);
				return out;
			}
			if (c !== '\\') {
				out += c;
				continue;
			}
			const next = read();
			if (next === -1) return out; // Felix appends (char)-1 here; nothing a path can hold.
			if (next === 'u') {
				let hex = '';
				for (let i = 0; i < 4; i++) {
					const h = read();
					if (h === -1) break;
					hex += h;
				}
				if (hex.length === 4) {
					if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new FelixSyntaxError(`a bad \\u escape "\\u${hex}"`);
					out += String.fromCharCode(Number.parseInt(hex, 16));
				}
			} else {
				out += ({b: '\b', t: '\t', n: '\n', f: '\f', r: '\r'} as Record<string, string>)[next] ?? next;
			}
		}
	}

	/** ensureNext: Felix reads one character and, finding another, builds an error it never throws. */
	const ensureNext = () => void read();

	function readSimple(type: string): string | number | boolean | bigint | null {
		const raw = readQuoted();
		return typed(type, raw);
	}

	function readItems(type: string, close: string): Array<string | number | boolean | bigint> | null {
		const items: Array<string | number | boolean | bigint> = [];
		for (;;) {
			let c = pageBreakAndWhitespace();
			if (c === '"') {
				const value = readSimple(type);
				if (value === null) return null;
				ensureNext();
				items.push(value);
				c = pageBreakAndWhitespace();
			}
			if (c === close) return items;
			if (c === -1 || c !== ',') return null;
		}
	}

	function pageBreakAndWhitespace(): string | -1 {
		let c = whitespace();
		while (c === '\\') {
			const from = at;
			const next = read();
			if (next !== '\n') {
				unread(next, from);
				break;
			}
			c = whitespace();
		}
		return c;
	}

	function readValue(): FelixValue | null {
		let type = whitespace();
		let code: string | -1;
		if (type !== -1 && TYPE_CODES.includes(type)) {
			code = read();
		} else {
			code = type;
			type = 'T';
		}
		if (code === '[' || code === '(') return readItems(type as string, code === '[' ? ']' : ')');
		if (code === '"') {
			const value = readSimple(type as string);
			ensureNext();
			return value;
		}
		return null;
	}

	for (let entries = 0; entries < 10_000; entries++) {
		// nextToken(newLine = true): white space, comments, then a key or the end of what Felix reads.
		let c = whitespace();
		while (c === '#') {
			do c = read();
			while (c !== -1 && c !== '\n');
			if (c === -1) break;
			c = whitespace();
		}
		if (c === -1) break;
		if (!NAME_CHARS.test(c) && TOKEN_CHARS.has(c)) break;
		at--;
		const key = readQuoted();
		const eq = whitespace();
		if (eq !== '=') throw new FelixSyntaxError(`no "=" after the key "${key.slice(0, 40)}"`);
		const start = at;
		const value = readValue();
		if (value !== null && key !== '__proto__') {
			values[key] = value;
			spans[key] = {start: start + leadingSpace(text.slice(start, start + 4096)), end: Math.min(at, text.length)};
		}
	}
	return {values: {...values}, spans: {...spans}};
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
	I: [-(2n ** 31n), 2n ** 31n - 1n], L: [-(2n ** 63n), 2n ** 63n - 1n], X: [-128n, 127n], S: [-32768n, 32767n],
};

/** Java's Integer.valueOf and friends: an optional sign and digits, in range; anything else throws, as Java does. */
function javaInteger(raw: string, code: string): bigint {
	if (!/^[+-]?\d+$/.test(raw)) throw new FelixSyntaxError(`"${raw.slice(0, 40)}" is not a number`);
	const value = BigInt(raw);
	const [min, max] = INT_RANGES[code]!;
	if (value < min || value > max) throw new FelixSyntaxError(`${raw.slice(0, 40)} is out of range`);
	return value;
}

function typed(type: string, raw: string): string | number | boolean | bigint | null {
	const code = type.toUpperCase();
	switch (code) {
		case 'T':
			return raw;
		case 'B':
			return raw.toLowerCase() === 'true';
		case 'C':
			return raw.length > 0 ? raw[0]! : null;
		case 'F': {
			const view = new DataView(new ArrayBuffer(4));
			view.setInt32(0, Number(javaInteger(raw, 'I')));
			return view.getFloat32(0);
		}
		case 'D': {
			const view = new DataView(new ArrayBuffer(8));
			view.setBigInt64(0, javaInteger(raw, 'L'));
			return view.getFloat64(0);
		}
		case 'L': {
			const value = javaInteger(raw, 'L');
			return Number.isSafeInteger(Number(value)) ? Number(value) : value;
		}
		default:
			return Number(javaInteger(raw, code));
	}
}

/**
 * A text as Felix's writeQuoted writes it: `\`, `"`, space and `=` escaped with
 * `\`, the well-known control characters as `\b \t \n \f \r`, any other below
 * U+0020 as `\uXXXX`. No newline ever reaches the file.
 */
export function felixQuote(value: string): string {
	let out = '';
	for (const c of value) {
		if (c === '\\' || c === '"' || c === ' ' || c === '=') out += `\\${c}`;
		else if (c === '\b') out += '\\b';
		else if (c === '\t') out += '\\t';
		else if (c === '\n') out += '\\n';
		else if (c === '\f') out += '\\f';
		else if (c === '\r') out += '\\r';
		else if (c < ' ') out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
		else out += c;
	}
	return out;
}
