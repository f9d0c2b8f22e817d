import {expect, test} from 'vitest';
import {felixQuote, FelixSyntaxError, readFelixConfig} from '../../../source/engine/storage/felix-config.js';
import {PropertiesSyntaxError, readJavaProperties} from '../../../source/engine/storage/java-properties.js';

/**
 * Felix ConfigAdmin's `.config` reader and writer, by the rules of
 * org.apache.felix.cm.file.ConfigurationHandler (apache/felix-dev): each case below
 * is a rule of its readInternal/readValue/readQuoted/nextToken, or of writeQuoted.
 */
const read = (text: string) => readFelixConfig(text).values;

test('typed values: B, I, L, arrays and collections over `\\` line breaks, a comment where a key may start', () => {
	expect(read('# persisted\r\ncustomBlobStore=B"true"\r\nminRecordLength=I"4096"\nbig=L"9223372036854775807"\nnames=[ \\\n  "a", \\\n  "b,c", \\\n  ]\ntries=I( "1", "2" )\n')).toEqual({
		customBlobStore: true, minRecordLength: 4096, big: 9223372036854775807n, names: ['a', 'b,c'], tries: [1, 2],
	});
	expect(read('flag=B"TRUE"\nother=b"yes"\nc=C"xyz"\n')).toEqual({flag: true, other: false, c: 'x'});
});

test('F and D hold the raw IEEE bits, not decimals (Float.intBitsToFloat, Double.longBitsToDouble)', () => {
	expect(read('ratio=F"1065353216"\nhalf=d"4602678819172646912"\nneg=F"-1082130432"\n')).toEqual({ratio: 1, half: 0.5, neg: -1});
	expect(() => read('ratio=F"1.5"\n')).toThrow(FelixSyntaxError); // NumberFormatException: the whole file is unreadable
});

test('a quoted text ends at an unescaped space, `=` or `"`: escaped, they are part of it', () => {
	expect(read('path="/mnt/my\\ data\\=1\\"q\\\\x"\n')).toEqual({path: '/mnt/my data=1"q\\x'});
	expect(read('path="\\t\\n\\r\\b\\f\\u0041\\z"\n')).toEqual({path: '\t\n\r\b\fAz'});
	// An unescaped space ends the text; what follows is read as the next key, which has no "=": Felix fails the file.
	expect(() => read('path="/mnt/my data"\nminRecordLength=I"1"\n')).toThrow(FelixSyntaxError);
	// A raw newline inside quotes is kept (only space, = and " end a text).
	expect(read('path="a\nb"\n')).toEqual({path: 'a\nb'});
});

test('an unquoted value is skipped and its characters garble what follows; a non-key ends the reading silently', () => {
	expect(read('a="1"\n[b="2"\n')).toEqual({a: '1'});
	// `flag=true`: `t` is no type code and no quote, so Felix drops the value after reading its first character;
	// `rue` then starts the next key, which runs over the newline up to the next `=`.
	expect(read('flag=true\nnext="x"\n')).toEqual({'rue\nnext': 'x'});
	expect(() => read('keyonly\n')).toThrow(FelixSyntaxError);
	expect(() => read('k = "v" x')).toThrow(FelixSyntaxError);
	expect(read('k = "v" =')).toEqual({k: 'v'}); // `=` where a key may start ends the reading, silently
});

test("white space is Java's Character.isWhitespace: a BOM is part of the first key, a no-break space ends nothing", () => {
	expect(read('\uFEFFpath="x"\n')).toEqual({'\uFEFFpath': 'x'});
	expect(Object.keys(read('\u00A0path="x"\n'))).toEqual(['\u00A0path']);
	expect(read('\u001Fpath="x"\n')).toEqual({path: 'x'});
});

test("Sling's installer skips a first line starting with # (it must end); spans say where each value is written", () => {
	expect(readFelixConfig('#x\npath="a"', {skipFirstComment: true}).values).toEqual({path: 'a'});
	expect(() => readFelixConfig('#only a comment', {skipFirstComment: true})).toThrow(FelixSyntaxError);
	const text = 'service.pid="p"\r\npath=  "/old"\r\nminRecordLength=I"1"\r\n';
	const {spans} = readFelixConfig(text);
	expect(text.slice(spans.path!.start, spans.path!.end)).toBe('"/old"');
	expect(text.slice(spans.minRecordLength!.start, spans.minRecordLength!.end)).toBe('I"1"');
});

test('writing as writeQuoted does: every text reads back the same, and no newline reaches the file', () => {
	const nasty = ['/mnt/a b', 'x="y"', '\\\\server\\share', 'tab\tnew\nline\rcr', 'bell\u0007nul\u0000', 'ünïcode ✓', '#not a comment', '  lead', '=start'];
	for (const value of nasty) {
		const quoted = felixQuote(value);
		expect(quoted).not.toMatch(/[\u0000-\u001f]|(?<!\\)[ ="]/);
		expect(read(`path="${quoted}"\n`)).toEqual({path: value});
	}
	expect(felixQuote('a b=c"d\\e\n\u0001')).toBe('a\\ b\\=c\\"d\\\\e\\n\\u0001');
});

test('garbage never crashes the reader: it reads, or throws FelixSyntaxError', () => {
	for (let i = 0; i < 500; i++) {
		const random = Array.from({length: 120}, () => String.fromCharCode(Math.floor(Math.random() * 128))).join('');
		try {
			readFelixConfig(random, {skipFirstComment: i % 2 === 0});
		} catch (error) {
			expect(error).toBeInstanceOf(FelixSyntaxError);
		}
	}
});

test('java.util.Properties: ISO 8859-1, continuation lines, `=`/`:`/space separators, escapes; a bad \\u fails the file', () => {
	const bytes = Buffer.concat([
		Buffer.from('# comment\n! other\npath = /mnt/my\\ data\\\n    store\nrepository.home:/r\\u00e9po\nkey\\ with\\ spaces value\ncustomBlobStore=true\nempty\nutf8='),
		Buffer.from('é', 'utf8'),
		Buffer.from('\r\ncontinued=a\\\\\n'),
	]);
	expect(readJavaProperties(bytes)).toEqual({
		path: '/mnt/my datastore', 'repository.home': '/répo', 'key with spaces': 'value', customBlobStore: 'true', empty: '', utf8: 'Ã©', continued: 'a\\',
	});
	expect(() => readJavaProperties(Buffer.from('a=\\u12G4\n'))).toThrow(PropertiesSyntaxError);
	expect(() => readJavaProperties(Buffer.from('<?xml version="1.0"?><properties/>'))).toThrow(PropertiesSyntaxError);
});
