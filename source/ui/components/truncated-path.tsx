import {Text} from 'ink';
import {printableName} from '../../words/format.js';

/**
 * A path on one line: when it does not fit, the middle goes (both the root and the file name stay readable).
 * Quoted with its controls escaped when it holds any, as the CLI prints it: a file name is untrusted.
 */
export function TruncatedPath({path, dim}: {path: string; dim?: boolean}) {
	return <Text dimColor={dim} wrap="truncate-middle">{printableName(path)}</Text>;
}
