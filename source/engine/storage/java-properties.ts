/**
 * java.util.Properties.load(InputStream), as Sling's installer reads `.cfg` and
 * `.properties` configurations and as Sling reads `sling.properties`: bytes are
 * ISO 8859-1 (a UTF-8 path reads as other characters, as in AEM), a logical line
 * continues after an odd number of trailing `\`, leading white space of every line
 * is skipped, `#` and `!` start a comment line, a key ends at an unescaped `=`, `:`
 * or white space (then white space and one `=` or `:` are skipped), escapes are
 * `\t \n \r \f \uXXXX` and `\x` for any other x. A bad `\u` escape fails the whole
 * load, as Java's IllegalArgumentException does. A file starting with `<` is an XML
 * properties file (Properties.loadFromXML): not read here.
 */

export class PropertiesSyntaxError extends Error {}

const SPACE = (c: string | undefined) => c === ' ' || c === '\t' || c === '\f';

export function readJavaProperties(bytes: Buffer): Record<string, string> {
	if (bytes[0] === 0x3c) throw new PropertiesSyntaxError('an XML properties file, which crx-backup does not read');
	const text = bytes.toString('latin1');
	const values: Record<string, string> = Object.create(null);
	for (const line of logicalLines(text)) {
		let at = 0;
		let key = '';
		let escaped = false;
		for (; at < line.length; at++) {
			const c = line[at]!;
			if (escaped) {
				key += c;
				escaped = false;
			} else if (c === '\\') {
				key += c;
				escaped = true;
			} else if (c === '=' || c === ':' || SPACE(c)) {
				break;
			} else {
				key += c;
			}
		}
		while (SPACE(line[at])) at++;
		if (line[at] === '=' || line[at] === ':') at++;
		while (SPACE(line[at])) at++;
		const name = unescape(key);
		if (name !== '__proto__') values[name] = unescape(line.slice(at));
	}
	return {...values};
}

/** Natural lines joined where a line ends in an odd number of `\`; comments and blank lines dropped. */
function logicalLines(text: string): string[] {
	const natural = text.split(/\r\n|\r|\n/);
	const lines: string[] = [];
	let current: string | undefined;
	for (const raw of natural) {
		let line = raw;
		let skip = 0;
		while (SPACE(line[skip])) skip++;
		line = line.slice(skip);
		if (current === undefined) {
			if (line === '' || line[0] === '#' || line[0] === '!') continue;
			current = '';
		}
		const slashes = /\\*$/.exec(line)![0].length;
		if (slashes % 2 === 1) {
			current += line.slice(0, -1);
			continue;
		}
		lines.push(current + line);
		current = undefined;
	}
	if (current !== undefined) lines.push(current);
	return lines;
}

function unescape(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (c !== '\\') {
			out += c;
			continue;
		}
		const next = text[++i];
		if (next === undefined) break;
		if (next === 'u') {
			const hex = text.slice(i + 1, i + 5);
			if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError('a malformed \\uxxxx escape');
			out += String.fromCharCode(Number.parseInt(hex, 16));
			i += 4;
		} else {
			out += ({t: '\t', n: '\n', r: '\r', f: '\f'} as Record<string, string>)[next] ?? next;
		}
	}
	return out;
}
