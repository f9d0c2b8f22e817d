import {Box, Text} from 'ink';
import {pad} from '../../format.js';
import {symbols, useTheme} from '../theme.js';

export interface Column<Row> {
	header: string;
	/** Columns wide, or 'flex' for the one that takes what is left (at least 8). */
	width: number | 'flex';
	align?: 'left' | 'right';
	cell: (row: Row) => string;
	colour?: (row: Row) => string | undefined;
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
								{(columnIndex > 0 ? ' '.repeat(gap) : '') + pad(column.cell(row), widthOf(column), column.align)}
							</Text>
						))}
					</Box>
				);
			})}
			{rows.length > maxRows ? <Text dimColor={theme.muted}>{`  ${start + 1}–${start + visible.length} of ${rows.length}`}</Text> : null}
		</Box>
	);
}
