import type {BackupOptions} from '../../engine/types.js';
import type {CreatePrefill} from '../state/create-form.js';

/** The flags the TUI was started with that its forms offer (the CLI's Flags, structurally: the UI does not import the CLI). */
export interface TuiFlags {
	target?: string;
	delay?: string;
	exclude?: string[];
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeout?: string;
	force?: boolean;
	aem?: string;
	aemUser?: string;
	maintenanceWindow?: string;
	datastore?: string;
	/** --no-external-datastore is externalDatastore: false (meow's negation); the form's toggle is noExternalDatastore. */
	externalDatastore?: boolean;
	filesOnly?: boolean;
	linkDest?: string;
	incremental?: boolean;
	method?: string;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
	stopCmd?: string;
	startCmd?: string;
	stopTimeout?: string;
	keepLast?: string;
	keepHourly?: string;
	keepDaily?: string;
	keepWeekly?: string;
	keepMonthly?: string;
	push?: string;
	onSuccess?: string;
	onFailure?: string;
	hookTimeout?: string;
	to?: string;
	pointConfig?: boolean;
	deleteIndex?: boolean;
	only?: string[];
}

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
