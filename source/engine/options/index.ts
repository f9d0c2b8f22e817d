// The option registry: each option declared once (the tables beside this file; option.ts says how to add one),
// and what is derived from it for both front ends and the engine's checks.
export {commandNames, flagOf, fronts, tuiGroups, type CommandName, type Front, type OptionKind, type TuiField, type TuiGroup} from './option.js';
export {commandUsage, frontName, helpCommand} from './commands.js';
export {checkOptions, defaultValue, optionEntries, optionEntry, optionsOf, refusalOf, takes, type Flags, type NegatedOptionKey, type OptionKey, type OptionValues, type RawBackupOptions, type RegistryEntry, type TuiFlags, type TuiOptionKey} from './registry.js';
export {backupOptionRules, checkAfterBackup, checkBackupOptions, type CheckedBackupOptions} from './check.js';
