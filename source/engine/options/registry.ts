import {afterBackupOptions, type AfterBackupOptionValues} from './after-backup.js';
import {backupOptions, type BackupOptionValues} from './backup.js';
import {catalogOptions, type CatalogOptionValues} from './catalog.js';
import {frontName, helpCommand} from './commands.js';
import {generalOptions, outputOptions, type GeneralOptionValues, type OutputOptionValues} from './general.js';
import {methodOptions, type MethodOptionValues} from './method.js';
import {flagOf, type Front, type KeysTakenBy, type NegatedKeys, type OptionEntry} from './option.js';
import {restoreOptions, type RestoreOptionValues} from './restore.js';
import {drillOptions, type DrillOptionValues} from './drill.js';

/**
 * The option registry: every table, in the order --help lists the options and
 * the rules run (the first rule that throws is the refusal). See option.ts for
 * what an entry holds and how to add one.
 */
const tables = [generalOptions, backupOptions, methodOptions, afterBackupOptions, restoreOptions, drillOptions, catalogOptions, outputOptions] as const;

/** Every option's value as typed. */
export interface OptionValues extends GeneralOptionValues, OutputOptionValues, BackupOptionValues, MethodOptionValues, AfterBackupOptionValues, RestoreOptionValues, DrillOptionValues, CatalogOptionValues {}
export type OptionKey = keyof OptionValues;
type AllTables = typeof generalOptions & typeof outputOptions & typeof backupOptions & typeof methodOptions & typeof afterBackupOptions & typeof restoreOptions & typeof drillOptions & typeof catalogOptions;

type StringKeys = {[Key in OptionKey]: OptionValues[Key] extends string ? Key : never}[OptionKey];
/**
 * The flags as a command gets them: every option, a value option undefined when
 * not given, a boolean or a list always there (its default when not given).
 */
export type Flags = Partial<Pick<OptionValues, StringKeys>> & Omit<OptionValues, StringKeys>;

/** The backup's options as typed (flags, or the Create form's fields): what checkBackupOptions and checkAfterBackup take. */
export type RawBackupOptions = Partial<BackupOptionValues & MethodOptionValues & AfterBackupOptionValues & Pick<DrillOptionValues, 'drill' | 'startTimeout' | 'allowNetwork'>>;

/** The flags the terminal UI takes (its forms start with them), as typed. */
export type TuiOptionKey = KeysTakenBy<AllTables, 'tui'>;
export type TuiFlags = Partial<Pick<OptionValues, TuiOptionKey>>;

/** Booleans that default to true, typed as their negation (--no-external-datastore). */
export type NegatedOptionKey = NegatedKeys<AllTables>;

/** An entry of the registry with its rule typed for any raw options (each reads the keys of its own table). */
export type RegistryEntry = Omit<OptionEntry, 'rule' | 'key'> & {readonly key: OptionKey; readonly rule?: (raw: Partial<OptionValues>) => void};

export const optionEntries: readonly RegistryEntry[] = tables.flatMap(table => Object.entries(table).map(([key, entry]) => ({key, ...entry}) as RegistryEntry));

const byKey = new Map(optionEntries.map(entry => [entry.key, entry]));

export function optionEntry(key: OptionKey): RegistryEntry {
	const entry = byKey.get(key);
	if (!entry) throw new Error(`no option ${key} in the registry`);
	return entry;
}

export const takes = (front: Front, key: string): boolean => byKey.get(key as OptionKey)?.commands.includes(front) ?? false;

/** The options a front takes, in the registry's order. */
export const optionsOf = (front: Front): RegistryEntry[] => optionEntries.filter(entry => entry.commands.includes(front));

/**
 * The one sentence a front answers to flags it does not take (keys as meow names them), or undefined when it
 * takes them all. Exit 2: nothing has run yet.
 */
export function refusalOf(front: Front, given: readonly string[]): string | undefined {
	const refused = given.filter(key => byKey.has(key as OptionKey) && !takes(front, key)).map(key => byKey.get(key as OptionKey)!);
	if (refused.length === 0) return undefined;
	const special = refused.map(entry => entry.refusalFor?.[front]).find(sentence => sentence !== undefined);
	if (special) return special;
	const flags = refused.map(entry => flagOf(entry));
	const list = flags.length === 1 ? flags[0] : `${flags.slice(0, -1).join(', ')} or ${flags.at(-1)}`;
	return `${frontName(front)} does not take ${list}; see ${helpCommand(front)}.`;
}

/**
 * Runs the rule of every option the front takes, in the registry's order, and throws the first refusal as a
 * usage error: a bad value is refused before anything runs, whichever front it was given to.
 */
export function checkOptions(front: Front, raw: Partial<OptionValues>): void {
	for (const entry of optionsOf(front)) entry.rule?.(raw);
}

/** The value an option has when it is not given: a boolean's default (false unless declared), a list's nothing. */
export function defaultValue(entry: RegistryEntry): boolean | string[] | undefined {
	if (entry.kind === 'boolean') return entry.default === true;
	return entry.kind === 'list' ? [] : undefined;
}

