import {flagOf, optionEntry, tuiGroups, type NegatedOptionKey, type OptionKey, type OptionValues, type TuiGroup} from '../../engine/options/index.js';

/**
 * The CLI's options as the TUI offers them: one descriptor per option, drawn
 * from the option registry (source/engine/options/), where each option's flag,
 * kind, rule and its TUI label and help are declared once. Here is only where
 * each form shows them, in Tab order. `key` is the form's name for the option
 * (the registry's; a boolean that defaults to true is offered as its negation,
 * --no-external-datastore as noExternalDatastore); `flag` is how it is typed,
 * shown in the help line so the TUI and `--help` use the same words.
 *  - text: one value, as typed; empty means "not given" (the CLI's default).
 *  - list: a repeatable flag, typed comma-separated (`--exclude a --exclude b` is `a, b`).
 *  - toggle: a boolean flag, Space ticks it.
 */
export type OptionKind = 'text' | 'list' | 'toggle';

export interface OptionDescriptor {
	key: string;
	flag: string;
	label: string;
	kind: OptionKind;
	/** One line under the field while it has focus. */
	help: string;
	/** Shown after the value, e.g. "ms". */
	suffix?: string;
	/** Shown even while the Options section is closed (the delay: the option most backups set). */
	always?: boolean;
	/** The heading it is listed under in the Options section (from the registry). */
	group?: TuiGroup;
}

type FormKey<Key extends OptionKey> = Key extends NegatedOptionKey ? `no${Capitalize<Key>}` : Key;
type FormKind<Key extends OptionKey> = [OptionValues[Key]] extends [boolean] ? 'toggle' : [OptionValues[Key]] extends [string[]] ? 'list' : 'text';
type DescriptorOf<Key extends OptionKey> = Key extends OptionKey ? OptionDescriptor & {key: FormKey<Key>; kind: FormKind<Key>} : never;

/** A form's descriptors, in the layout's order, with the registry's label and help for that form. */
function describe<const Layout extends readonly OptionKey[]>(form: 'backup' | 'restore', layout: Layout): ReadonlyArray<DescriptorOf<Layout[number]>> {
	return layout.map(key => {
		const entry = optionEntry(key);
		const field = entry.tui?.[form];
		if (!field) throw new Error(`the registry gives ${flagOf(entry)} no field in the ${form} form`);
		const negated = entry.kind === 'boolean' && entry.default === true;
		return {
			key: negated ? `no${key.charAt(0).toUpperCase()}${key.slice(1)}` : key,
			flag: flagOf(entry),
			label: field.label,
			kind: entry.kind === 'boolean' ? 'toggle' : entry.kind === 'list' ? 'list' : 'text',
			help: field.help,
			...(field.suffix ? {suffix: field.suffix} : {}),
			...(field.always ? {always: true} : {}),
			...(field.group ? {group: field.group} : {}),
		};
	}) as unknown as ReadonlyArray<DescriptorOf<Layout[number]>>;
}

/**
 * The Create form's options under Target, in Tab order: Delay, then the Options section
 * group by group (the registry says each option's group; the order within one is this
 * layout's). After a good backup: prune, push, then the hook (the CLI's nightly steps).
 */
export const backupOptionDescriptors = describe('backup', [
	'delay', 'freezeCmd', 'thawCmd', 'freezeTimeout', 'aem', 'aemUser', 'maintenanceWindow', 'force',
	'snapshotCmd', 'snapshotReleaseCmd', 'stopCmd', 'startCmd', 'stopTimeout', 'linkDest', 'incremental',
	'keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'push', 'onSuccess', 'onFailure', 'hookTimeout',
	'datastore', 'externalDatastore', 'filesOnly', 'exclude',
]);

/** The Options section's groups, in order, each with its options (a test holds the layout to this order). */
export const backupOptionGroups = tuiGroups.map(group => ({group, options: backupOptionDescriptors.filter(option => option.group === group)}));

/** The restore wizard's options step, in Tab order. */
export const restoreOptionDescriptors = describe('restore', ['deleteIndex', 'only', 'force', 'pointConfig']);

type KeysOfKind<List extends ReadonlyArray<OptionDescriptor>, Kind extends OptionKind> = Extract<List[number], {kind: Kind}>['key'];
export type BackupTextOption = KeysOfKind<typeof backupOptionDescriptors, 'text' | 'list'>;
export type BackupToggleOption = KeysOfKind<typeof backupOptionDescriptors, 'toggle'>;
export type RestoreTextOption = KeysOfKind<typeof restoreOptionDescriptors, 'text' | 'list'>;
export type RestoreToggleOption = KeysOfKind<typeof restoreOptionDescriptors, 'toggle'>;

/** A list field's text as the repeated flag's values: split on commas, blanks dropped. */
export const listValues = (text: string): string[] => text.split(',').map(part => part.trim()).filter(part => part !== '');

/** A text field's value as the flag: undefined when empty, so the CLI's default applies. */
export const textOption = (text: string): string | undefined => (text.trim() === '' ? undefined : text);

/** What the command line gave, as a field's starting text (lists joined with commas). */
export function prefillText(value: unknown): string {
	if (Array.isArray(value)) return value.join(', ');
	return typeof value === 'string' ? value : '';
}

export const descriptorOf = (list: readonly OptionDescriptor[], key: string): OptionDescriptor | undefined => list.find(option => option.key === key);
