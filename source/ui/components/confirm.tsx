import {symbols, useTheme} from '../theme.js';
import {Paragraph} from './paragraph.js';

/** The y/N question line, wrapped at whole words; the screen's keymap answers it (state/confirm.ts). Full width wherever it is shown. */
export function Confirm({question}: {question: string}) {
	const theme = useTheme();
	return <Paragraph color={theme.warning} bold={theme.bold} text={`${symbols.warning} ${question} [y/N]`} />;
}
