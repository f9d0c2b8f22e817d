import type {BackupOptions} from '../../engine/types.js';
import type {TuiFlags} from '../../engine/index.js';
import type {CreatePrefill} from '../state/create-form.js';

/**
 * The flags the TUI takes (the option registry's, source/engine/options/: cli.tsx refused any other): the
 * backup's options as the engine's rules take them, and the restore's.
 */
export type {TuiFlags};

export interface RestorePrefill {
	to?: string;
	pointConfig?: boolean;
	deleteIndex?: boolean;
	only?: string[];
	force?: boolean;
}

export interface TuiPrefill {
	backup: CreatePrefill;
	restore: RestorePrefill;
}

/** One place that splits the command line between the Create form and the restore wizard (`--force` goes to both). */
export function prefillFromFlags(flags: TuiFlags = {}): TuiPrefill {
	const {to, deleteIndex, only, force, pointConfig, externalDatastore, ...backup} = flags;
	return {
		backup: {...backup, ...(force ? {force} : {}), ...(externalDatastore === false ? {noExternalDatastore: true} : {})},
		restore: {...(to ? {to} : {}), ...(deleteIndex ? {deleteIndex} : {}), ...(only && only.length > 0 ? {only} : {}), ...(force ? {force} : {}), ...(pointConfig ? {pointConfig} : {})},
	};
}

/** The first shape of the App's defaults (checked options), as the form's starting text. */
export function prefillFromDefaults(defaults: Pick<BackupOptions, 'freezeCmd' | 'thawCmd' | 'freezeTimeoutMs' | 'exclude'> = {}): CreatePrefill {
	return {
		...(defaults.freezeCmd ? {freezeCmd: defaults.freezeCmd} : {}),
		...(defaults.thawCmd ? {thawCmd: defaults.thawCmd} : {}),
		...(defaults.exclude && defaults.exclude.length > 0 ? {exclude: defaults.exclude} : {}),
		...(defaults.freezeTimeoutMs !== undefined ? {freezeTimeout: String(defaults.freezeTimeoutMs / 1000)} : {}),
	};
}
