import {Text} from 'ink';
import type {CreateFormState} from '../state/create-form.js';
import {backupOptionDescriptors, listValues, type BackupTextOption} from '../options/descriptors.js';
import {symbols, useTheme} from '../theme.js';

/** What the closed section holds, so options given on the command line are seen without opening it. */
export function optionsSummary(form: CreateFormState): string {
	const set = (key: BackupTextOption) => form[key].text.trim() !== '';
	const keep = (['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly'] as const).filter(set);
	const summed = new Set<string>(['delay', 'freezeCmd', 'thawCmd', 'exclude', 'freezeTimeout', 'force', 'aem', 'push', 'onSuccess', 'onFailure', ...keep]);
	const others = backupOptionDescriptors.filter(option => !summed.has(option.key) && (option.kind === 'toggle' ? form[option.key] : set(option.key))).length;
	const parts = [
		set('freezeCmd') ? `freeze${set('thawCmd') ? '/thaw' : ''} set` : set('aem') ? 'AEM blocks writes' : 'writes not blocked',
		...(listValues(form.exclude.text).length > 0 ? [`${listValues(form.exclude.text).length} excluded`] : []),
		...(set('freezeTimeout') ? [`freeze max ${form.freezeTimeout.text.trim()} s`] : []),
		...(form.force ? ['force'] : []),
		// The nightly steps: what runs after a good backup.
		...(keep.length > 0 ? ['prune'] : []),
		...(set('push') ? ['push'] : []),
		...(set('onSuccess') || set('onFailure') ? ['hooks'] : []),
		...(others > 0 ? [`${others} more set`] : []),
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
