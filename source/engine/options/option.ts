/**
 * What an option is, once: the shape every entry of the option registry has.
 *
 * Each file beside this one declares a table of options (general, backup,
 * method, after-backup, restore, catalog): an interface of the values as typed
 * (`delay: string`, `force: boolean`, `exclude: string[]`) and, keyed the same,
 * one entry per option. `satisfies OptionTable<Values>` makes the compiler hold
 * the two together: an entry for every value, its kind matching the value's type.
 *
 * Everything else is derived from these tables (registry.ts): meow's flags and
 * the flag names (`--kebab-case` of the key; `--no-…` for a boolean whose
 * default is true), which command takes which flag (any other refuses it, exit
 * 2), `--help` per command, the CLI's Flags and the raw option types the rules
 * check, the rules each command runs before it starts, and the TUI's option
 * descriptors.
 *
 * To add an option:
 *  1. Add its value to the table's interface and its entry to the table (the
 *     file of the operation it belongs to): the commands that take it, help,
 *     default, rule and, when the TUI offers it, its label and help there.
 *  2. Use it: the command reads `flags.<key>`; a backup option also goes into
 *     checkBackupOptions (options/check.ts) and BackupOptions (types.ts).
 *  3. When the TUI offers it, put its key where it goes in its form's layout
 *     (source/ui/options/descriptors.ts). test/commands/option-registry.test.ts
 *     fails until the CLI, `--help` and the TUI agree with the registry.
 */

export const commandNames = ['backup', 'estimate', 'list', 'delete', 'adopt', 'verify', 'restore', 'drill', 'prune', 'status', 'push'] as const;
export type CommandName = (typeof commandNames)[number];
/** Who takes an option: a headless command, or the terminal UI (crx-backup without a command). */
export type Front = CommandName | 'tui';
export const fronts: readonly Front[] = [...commandNames, 'tui'];

/** How it is typed: one value, a flag alone (true/false), or a value that may be given again and again. */
export type OptionKind = 'string' | 'boolean' | 'list';

/**
 * The headings the Create form's Options section groups its fields under, in their order
 * (PgUp/PgDn jump between them). Each backup field names its own (`group`); Delay, always shown, has none.
 */
export const tuiGroups = ['Freeze', 'AEM', 'Method', 'Nightly', 'Datastore', 'Excludes'] as const;
export type TuiGroup = (typeof tuiGroups)[number];

/** An option as a TUI form offers it: the field's label and the help line under it while it has focus. */
export interface TuiField {
	readonly label: string;
	/** The heading it is listed under in the Create form's Options section. */
	readonly group?: TuiGroup;
	readonly help: string;
	/** Shown after the value, e.g. "ms". */
	readonly suffix?: string;
	/** Shown even while the Create form's Options section is closed (the delay: the option most backups set). */
	readonly always?: boolean;
}

interface EntryBase<Raw> {
	/** The fronts that take it; given to any other, it is refused with exit 2 before anything runs. */
	readonly commands: readonly Front[];
	/** The value's placeholder in --help (DIR, MS, CMD); none for a boolean. */
	readonly value?: string;
	/** The one line --help shows. */
	readonly help: string;
	/** The whole line instead of `help` (and its default) for a front where the option means something else there (--force, --dir). */
	readonly helpFor?: Partial<Record<Front, string>>;
	/**
	 * The sentence a front that does not take it answers, instead of the plain one, where the operator
	 * most likely meant something else (backup --dry-run: estimate and prune --dry-run).
	 */
	readonly refusalFor?: Partial<Record<Front, string>>;
	/**
	 * Throws the usage error (one sentence, exit 2) a bad value gets; it may read the other options of its
	 * table (--thaw-cmd needs --freeze-cmd). Every front that takes the option runs it before it starts; the
	 * TUI's Create form shows its sentence under this option's field.
	 */
	readonly rule?: (raw: Raw) => void;
	/** Where the TUI offers it: the Create form (backup) and the restore wizard's options step (restore). */
	readonly tui?: {readonly backup?: TuiField; readonly restore?: TuiField};
	/** Where the value comes from when the flag is not given (a secret kept off the command line, where `ps` shows it). */
	readonly environment?: FromEnvironment;
}

/** A value read from environment variables, for the fronts listed, when their flag is not given. */
export interface FromEnvironment {
	readonly commands: readonly Front[];
	/** The variables, as --help names them. */
	readonly variables: readonly string[];
	/** The value they give (undefined: none set); throws the usage error a bad one gets. */
	readonly read: (env: NodeJS.ProcessEnv) => string | undefined;
}

/** The default of a string option is what --help says applies when it is not given (the rule's parse applies it). */
type EntryFor<Value, Raw> = EntryBase<Raw> & ([Value] extends [boolean] ? {readonly kind: 'boolean'; readonly default?: boolean}
	: [Value] extends [readonly string[]] ? {readonly kind: 'list'} : {readonly kind: 'string'; readonly default?: string});

/** One entry per value of `Values`, keyed the same; rules read `Raw` (the values of their own table, by default). */
export type OptionTable<Values, Raw = Partial<Values>> = {readonly [Key in keyof Values]-?: EntryFor<Values[Key], Raw>};

/** An entry with its key, as the registry lists them all. */
export interface OptionEntry {
	readonly key: string;
	readonly kind: OptionKind;
	readonly commands: readonly Front[];
	readonly value?: string;
	readonly default?: string | boolean;
	readonly help: string;
	readonly helpFor?: Partial<Record<Front, string>>;
	readonly refusalFor?: Partial<Record<Front, string>>;
	readonly rule?: (raw: never) => void;
	readonly tui?: {readonly backup?: TuiField; readonly restore?: TuiField};
	readonly environment?: FromEnvironment;
}

/** The keys of a table whose entry the front takes (type level: the TUI's flags, a command's flags). */
export type KeysTakenBy<Table, Taker extends Front> = {
	[Key in keyof Table]: Table[Key] extends {readonly commands: readonly (infer Taken)[]} ? (Taker extends Taken ? Key : never) : never;
}[keyof Table];

/** The keys of a table's booleans that default to true: typed as their negation (--no-external-datastore). */
export type NegatedKeys<Table> = {[Key in keyof Table]: Table[Key] extends {readonly default: true} ? Key : never}[keyof Table];

/** The flag as typed: --snapshot-release-cmd for snapshotReleaseCmd, --no-external-datastore for a boolean that defaults to true. */
export function flagOf(entry: Pick<OptionEntry, 'key' | 'kind' | 'default'>): string {
	const kebab = entry.key.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
	return entry.kind === 'boolean' && entry.default === true ? `--no-${kebab}` : `--${kebab}`;
}
