import {Box, Text} from 'ink';
import {useColumns} from '../hooks/use-columns.js';
import {escapeControls} from '../../words/format.js';
import {wrapLines} from '../wrap.js';

/**
 * A sentence word-wrapped to the terminal (less `indent`, the columns to its left), one <Text> per line. Ink's
 * own wrap keeps the space it broke at, so a wrapped line could start with one (" may not be consistent.").
 * Controls are escaped: a message may quote a file name, and a newline in one must not forge a line.
 * Every sentence of a screen, a form or a question that may wrap goes through here, with its true indent: the
 * Create form counts its rows with the same wrapLines and widths.
 */
export function Paragraph({text, color, bold, dim, indent = 0}: {text: string; color?: string; bold?: boolean; dim?: boolean; indent?: number}) {
	const width = Math.max(10, useColumns() - indent);
	return (
		<Box flexDirection="column">
			{wrapLines(escapeControls(text), width).map((line, index) => <Text key={index} color={color} bold={bold} dimColor={dim} wrap="truncate-end">{line}</Text>)}
		</Box>
	);
}
