import {Text} from 'ink';
import Spinner from 'ink-spinner';
import {useTheme} from '../theme.js';

/** A value that may still be loading (spinner) or may have failed (✖ and the one-sentence reason). */
export function Pending({loading, error, children, label = 'measuring…'}: {loading: boolean; error?: string; children?: string; label?: string}) {
	const theme = useTheme();
	if (loading) return <Text color={theme.accent}><Spinner type="dots" /> {label}</Text>;
	if (error) return <Text color={theme.error} wrap="wrap">✖ {error}</Text>;
	return <Text wrap="truncate-end">{children ?? ''}</Text>;
}
