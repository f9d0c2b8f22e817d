/**
 * Text measured in terminal columns, not UTF-16 units: a CJK or emoji character takes two
 * columns, and a table cell padded by `.length` pushed its row wider than the terminal (Ink then
 * cut the Size and Created cells short: "294.8 Ki", "02:2"). The ranges are Unicode's East Asian
 * Wide and Fullwidth blocks and the emoji planes, which terminals draw two columns wide.
 */
const wide: ReadonlyArray<readonly [number, number]> = [
	[0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
	[0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6],
	[0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];

const charColumns = (char: string): number => {
	const code = char.codePointAt(0)!;
	return wide.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
};

export const columnsOf = (text: string): number => [...text].reduce((sum, char) => sum + charColumns(char), 0);

/** The first characters of `text` that fit in `columns`. */
export function headColumns(text: string, columns: number): string {
	let out = '';
	let used = 0;
	for (const char of text) {
		if (used + charColumns(char) > columns) break;
		used += charColumns(char);
		out += char;
	}
	return out;
}

/** The last characters of `text` that fit in `columns`. */
export function tailColumns(text: string, columns: number): string {
	const chars = [...text];
	let out = '';
	let used = 0;
	for (let index = chars.length - 1; index >= 0; index--) {
		if (used + charColumns(chars[index]!) > columns) break;
		used += charColumns(chars[index]!);
		out = chars[index]! + out;
	}
	return out;
}

/** `text` in at most `columns`, its middle replaced by … when it is wider. */
export function middleColumns(text: string, columns: number): string {
	if (columnsOf(text) <= columns) return text;
	if (columns <= 1) return '…'.slice(0, columns);
	const head = Math.ceil((columns - 1) / 2);
	return `${headColumns(text, head)}…${tailColumns(text, columns - 1 - head)}`;
}

/** `text` cut to `columns` (in the middle) and padded with spaces to exactly that many. */
export function padColumns(text: string, columns: number, align: 'left' | 'right' = 'left'): string {
	const cut = middleColumns(text, columns);
	const fill = ' '.repeat(Math.max(0, columns - columnsOf(cut)));
	return align === 'left' ? cut + fill : fill + cut;
}
