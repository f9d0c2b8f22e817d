import {Box, Text} from 'ink';
import {useColumns} from '../hooks/use-columns.js';
import {escapeControls} from '../../words/format.js';
import {wrapLines} from '../wrap.js';

/**
 * A sentence word-wrapped to the terminal (less `indent`), one <Text> per line. Ink's own wrap keeps the
 * space it broke at, so every wrapped line started with one (" may not be consistent.").
 * Controls are escaped: a message may quote a file name, and a newline in one must not forge a line.
 */
export function Paragraph({text, color, indent = 0}: {text: string; color?: string; indent?: number}) {
	const width = Math.max(10, useColumns() - indent);
	return (
		<Box flexDirection="column">
			{wrapLines(escapeControls(text), width).map((line, index) => <Text key={index} color={color} wrap="truncate-end">{line}</Text>)}
		</Box>
	);
}
