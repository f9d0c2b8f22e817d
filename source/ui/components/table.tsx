import {Box, Text} from 'ink';
import {escapeControls} from '../../words/format.js';
import {columnsOf, middleColumns, padColumns, tailColumns} from '../columns.js';
import {symbols, useTheme} from '../theme.js';

export interface Column<Row> {
	header: string;
	/** Columns wide, or 'flex' for the one that takes what is left (at least 8). */
	width: number | 'flex';
	align?: 'left' | 'right';
	cell: (row: Row) => string;
	colour?: (row: Row) => string | undefined;
	/**
	 * Names that share a long prefix (backup-20261207-0119.zip, backup-20261207-0230.zip): a cell too
	 * wide for the column drops the prefix it shares with the rows of its stem ("…0119.zip"), not the
	 * part that tells the rows apart, as middle-truncation did ("backu…9.zip" on every row).
	 */
	sharedPrefix?: boolean;
}

/** A name's stem: up to its first separator ("backup-" of backup-20261207-0119.zip), or the whole of a name without one. */
const stemOf = (value: string) => {
	const at = value.search(/[-_. ]/);
	return at < 0 ? value : value.slice(0, at + 1);
};

/** The prefix all `values` share. */
function commonPrefix(values: readonly string[]): string {
	let prefix = values[0] ?? '';
	for (const value of values) {
		let index = 0;
		while (index < prefix.length && index < value.length && prefix[index] === value[index]) index++;
		prefix = prefix.slice(0, index);
	}
	return prefix;
}

/**
 * For each of `values`, the prefix shared by the values of its stem (none for a value alone in its
 * stem: nothing to tell apart). Not the prefix every row shares: one folder named otherwise ("manual")
 * beside the dated zips left none, and every zip was cut in the middle until two rows read the same.
 */
export function sharedPrefixes(values: readonly string[]): string[] {
	const byStem = new Map<string, string[]>();
	for (const value of values) byStem.set(stemOf(value), [...(byStem.get(stemOf(value)) ?? []), value]);
	return values.map(value => {
		const family = byStem.get(stemOf(value))!;
		return family.length < 2 ? '' : commonPrefix(family);
	});
}

/** For each of `values`, the longest prefix it shares with any other (its closest neighbour once sorted). */
function closestPrefixes(values: readonly string[]): string[] {
	const sorted = [...new Set(values)].sort();
	const longest = new Map(sorted.map((value, index) => [value, commonPrefix([value, sorted[index - 1] ?? '']).length > commonPrefix([value, sorted[index + 1] ?? '']).length
		? commonPrefix([value, sorted[index - 1]!]) : commonPrefix([value, sorted[index + 1] ?? ''])]));
	return values.map(value => longest.get(value) ?? '');
}

/**
 * The cells of a name column, each fitted to `width`: cut at the prefix of its stem, so rows of one
 * kind line up; a cell that then reads the same as another (a folder named otherwise in the stem,
 * backup-dir beside backup-20261207-a1.zip and -a2.zip) is cut where it parts from its closest name.
 */
export function fitNames(values: readonly string[], width: number): string[] {
	const byStem = sharedPrefixes(values);
	const fitted = values.map((value, index) => fitCell(value, width, byStem[index]!));
	const seen = new Map<string, number>();
	for (const cell of fitted) seen.set(cell, (seen.get(cell) ?? 0) + 1);
	if ([...seen.values()].every(count => count === 1)) return fitted;
	const closest = closestPrefixes(values);
	return fitted.map((cell, index) => (seen.get(cell)! > 1 ? fitCell(values[index]!, width, closest[index]!) : cell));
}

/**
 * `value` in `width` columns: whole when it fits; else without the shared `prefix`, cut after its
 * last separator (- _ . space) when that fits ("…20261207-0119.zip"), else exactly where the rows
 * differ ("…7-0119.zip"), else its end ("…-0119.zip"); middle-truncated only without a shared prefix.
 */
export function fitCell(value: string, width: number, prefix: string): string {
	if (columnsOf(value) <= width) return value;
	if (!prefix || !value.startsWith(prefix)) return middleColumns(value, width);
	const boundary = Math.max(...['-', '_', '.', ' '].map(separator => prefix.lastIndexOf(separator))) + 1;
	for (const from of [boundary, prefix.length]) {
		if (from > 0 && columnsOf(value.slice(from)) + 1 <= width) return `…${value.slice(from)}`;
	}
	// Still too wide: its end, where a dated name keeps its time ("…-2300.zip", not "…6-23….zip").
	return `…${tailColumns(value, width - 1)}`;
}

interface Props<Row> {
	columns: readonly Column<Row>[];
	rows: readonly Row[];
	rowKey: (row: Row) => string;
	selected: number;
	/** Rows shown at once; the window follows the selection. */
	maxRows: number;
	width: number;
}

const gap = 1;
const marker = 2;

/**
 * A fixed-width table (ink-table sizes columns to their content and would wrap at
 * 80 columns): every cell is padded or middle-truncated to its column, so a row is
 * exactly one line.
 */
export function Table<Row>({columns, rows, rowKey, selected, maxRows, width}: Props<Row>) {
	const theme = useTheme();
	const fixed = columns.reduce((sum, column) => sum + (column.width === 'flex' ? 0 : column.width), 0);
	const flex = Math.max(8, width - marker - fixed - gap * (columns.length - 1));
	const widthOf = (column: Column<Row>) => (column.width === 'flex' ? flex : column.width);
	const start = Math.min(Math.max(0, selected - maxRows + 1), Math.max(0, rows.length - maxRows));
	const visible = rows.slice(start, start + maxRows);
	const line = (cells: string[]) => cells.join(' '.repeat(gap));
	// A cell may hold a file name (untrusted): its controls are escaped, so a row stays one line and moves no cursor.
	const cellOf = (column: Column<Row>, row: Row) => escapeControls(column.cell(row));
	const names = columns.map(column => (column.sharedPrefix ? fitNames(rows.map(row => cellOf(column, row)), widthOf(column)) : undefined));
	const cellText = (column: Column<Row>, columnIndex: number, row: Row) => names[columnIndex]?.[rows.indexOf(row)] ?? fitCell(cellOf(column, row), widthOf(column), '');

	return (
		<Box flexDirection="column">
			<Text dimColor={theme.muted}>{'  ' + line(columns.map(column => padColumns(column.header, widthOf(column), column.align)))}</Text>
			{visible.map((row, index) => {
				const isSelected = start + index === selected;
				return (
					<Box key={rowKey(row)}>
						<Text color={isSelected ? theme.selected : undefined} bold={isSelected && theme.bold}>{isSelected ? `${symbols.pointer} ` : '  '}</Text>
						{columns.map((column, columnIndex) => (
							<Text key={column.header} color={column.colour?.(row) ?? (isSelected ? theme.selected : undefined)} bold={isSelected && theme.bold}>
								{(columnIndex > 0 ? ' '.repeat(gap) : '') + padColumns(cellText(column, columnIndex, row), widthOf(column), column.align)}
							</Text>
						))}
					</Box>
				);
			})}
			{rows.length > maxRows ? <Text dimColor={theme.muted}>{`  ${start + 1}–${start + visible.length} of ${rows.length}`}</Text> : null}
		</Box>
	);
}
