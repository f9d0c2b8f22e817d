/**
 * Word-wraps `text` to `width` columns (a word longer than a line is cut into
 * pieces, never dropped): the help and the log view scroll by these lines.
 */
export function wrapLines(text: string, width: number): string[] {
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(' ')) {
			let rest = word;
			while ([...rest].length > width) {
				if (line) lines.push(line);
				line = '';
				lines.push([...rest].slice(0, width).join(''));
				rest = [...rest].slice(width).join('');
			}
			const candidate = line ? `${line} ${rest}` : rest;
			if ([...candidate].length > width) {
				lines.push(line);
				line = rest;
			} else line = candidate;
		}
		lines.push(line);
	}
	return lines;
}
