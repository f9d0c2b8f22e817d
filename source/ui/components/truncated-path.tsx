import {Text} from 'ink';

/** A path on one line: when it does not fit, the middle goes (both the root and the file name stay readable). */
export function TruncatedPath({path, dim}: {path: string; dim?: boolean}) {
	return <Text dimColor={dim} wrap="truncate-middle">{path}</Text>;
}
