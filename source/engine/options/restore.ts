import type {OptionTable} from './option.js';

/** Where and what a restore writes (the TUI's restore wizard starts with the ones it offers). */
export interface RestoreOptionValues {
	to: string;
	deleteIndex: boolean;
	only: string[];
	datastoreTo: string;
	pointConfig: boolean;
}

export const restoreOptions = {
	to: {
		kind: 'string', value: 'DIR', commands: ['restore', 'tui'],
		help: 'restore into DIR, which must be new or empty',
		helpFor: {tui: 'the restore wizard starts with DIR as its destination'},
	},
	deleteIndex: {
		kind: 'boolean', commands: ['restore', 'tui'],
		help: 'remove crx-quickstart/repository/index after restoring (AEM rebuilds it at start-up)',
		tui: {restore: {label: 'Delete crx-quickstart/repository/index after restoring', help: 'AEM rebuilds the index at start-up; a backup holds it only when made with the index not excluded.'}},
	},
	only: {
		kind: 'list', value: 'PATH', commands: ['restore', 'tui'],
		help: 'restore only this subtree (repeatable)',
		tui: {restore: {label: 'Only', help: 'restore only these subtrees, comma-separated (empty: everything)'}},
	},
	datastoreTo: {
		kind: 'string', value: 'DIR', commands: ['restore'],
		help: 'restore the external datastore into DIR (new or empty); needed when the backup holds one',
	},
	pointConfig: {
		kind: 'boolean', commands: ['restore', 'tui'],
		help: "rewrite the restored FileDataStore configuration's path to where the datastore went",
		tui: {restore: {label: 'Point the FileDataStore configuration at the restored datastore', help: "rewrites the restored config's path (only with an external datastore)"}},
	},
} as const satisfies OptionTable<RestoreOptionValues>;
