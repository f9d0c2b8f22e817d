import {Box, Text} from 'ink';
import {pad, truncateMiddle} from '../../words/format.js';
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
	 * wide for the column drops the prefix every row shares ("…0119.zip"), not the part that tells the
	 * rows apart, as middle-truncation did ("backu…9.zip" on every row).
	 */
	sharedPrefix?: boolean;
}

/** The prefix all `values` share (none for a single value: nothing to tell apart). */
export function sharedPrefix(values: readonly string[]): string {
	if (values.length < 2) return '';
	let prefix = values[0]!;
	for (const value of values) {
		let index = 0;
		while (index < prefix.length && index < value.length && prefix[index] === value[index]) index++;
		prefix = prefix.slice(0, index);
	}
	return prefix;
}

/**
 * `value` in `width` columns: whole when it fits; else without the shared `prefix`, cut after its
 * last separator (- _ . space) when that fits ("…20261207-0119.zip"), else exactly where the rows
 * differ ("…7-0119.zip"); middle-truncated only when even that is too wide.
 */
export function fitCell(value: string, width: number, prefix: string): string {
	if (value.length <= width) return value;
	if (!prefix || !value.startsWith(prefix)) return truncateMiddle(value, width);
	const boundary = Math.max(...['-', '_', '.', ' '].map(separator => prefix.lastIndexOf(separator))) + 1;
	for (const from of [boundary, prefix.length]) {
		if (from > 0 && value.length - from + 1 <= width) return `…${value.slice(from)}`;
	}
	return `…${truncateMiddle(value.slice(prefix.length), width - 1)}`;
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
	const prefixes = columns.map(column => (column.sharedPrefix ? sharedPrefix(rows.map(column.cell)) : ''));
	const cellText = (column: Column<Row>, columnIndex: number, row: Row) => fitCell(column.cell(row), widthOf(column), prefixes[columnIndex]!);

	return (
		<Box flexDirection="column">
			<Text dimColor={theme.muted}>{'  ' + line(columns.map(column => pad(column.header, widthOf(column), column.align)))}</Text>
			{visible.map((row, index) => {
				const isSelected = start + index === selected;
				return (
					<Box key={rowKey(row)}>
						<Text color={isSelected ? theme.selected : undefined} bold={isSelected && theme.bold}>{isSelected ? `${symbols.pointer} ` : '  '}</Text>
						{columns.map((column, columnIndex) => (
							<Text key={column.header} color={column.colour?.(row) ?? (isSelected ? theme.selected : undefined)} bold={isSelected && theme.bold}>
								{(columnIndex > 0 ? ' '.repeat(gap) : '') + pad(cellText(column, columnIndex, row), widthOf(column), column.align)}
							</Text>
						))}
					</Box>
				);
			})}
			{rows.length > maxRows ? <Text dimColor={theme.muted}>{`  ${start + 1}–${start + visible.length} of ${rows.length}`}</Text> : null}
		</Box>
	);
}
