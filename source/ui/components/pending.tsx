import {Text} from 'ink';
import Spinner from 'ink-spinner';
import {useTheme} from '../theme.js';
import {Paragraph} from './paragraph.js';

/** A value that may still be loading (spinner) or may have failed (✖ and the one-sentence reason). */
/** `indent`: the columns left of it (a FieldRow's label, 14 by default), so a wrapped error never starts a line with a space. */
export function Pending({loading, error, children, label = 'measuring…', indent = 14}: {loading: boolean; error?: string; children?: string; label?: string; indent?: number}) {
	const theme = useTheme();
	if (loading) return <Text color={theme.accent}><Spinner type="dots" /> {label}</Text>;
	if (error) return <Paragraph color={theme.error} indent={indent} text={`✖ ${error}`} />;
	return <Text wrap="truncate-end">{children ?? ''}</Text>;
}
