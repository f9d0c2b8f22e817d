import {Text} from 'ink';
import type {CreateFormState} from '../state/create-form.js';
import {listValues} from '../options/descriptors.js';
import {symbols, useTheme} from '../theme.js';

/** What the closed section holds, so options given on the command line are seen without opening it. */
export function optionsSummary(form: CreateFormState): string {
	const parts = [
		form.freezeCmd.text.trim() ? `freeze${form.thawCmd.text.trim() ? '/thaw' : ''} set` : 'writes not blocked',
		...(listValues(form.exclude.text).length > 0 ? [`${listValues(form.exclude.text).length} excluded`] : []),
		...(form.freezeTimeout.text.trim() ? [`freeze max ${form.freezeTimeout.text.trim()} s`] : []),
		...(form.force ? ['force'] : []),
	];
	return parts.join(' · ');
}

/** The Options section's header row: Space opens or closes it. */
export function OptionsHeader({form, focused, labelWidth}: {form: CreateFormState; focused: boolean; labelWidth: number}) {
	const theme = useTheme();
	const label = `${focused ? symbols.pointer : ' '} Options`.padEnd(labelWidth);
	return (
		<Text wrap="truncate-end">
			<Text color={focused ? theme.accent : undefined} bold={focused && theme.bold}>{label}</Text>
			<Text dimColor={theme.muted}>{form.optionsOpen ? '▾ ' : '▸ '}{optionsSummary(form)}{focused ? `  (Space ${form.optionsOpen ? 'closes' : 'opens'})` : ''}</Text>
		</Text>
	);
}
