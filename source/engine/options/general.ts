import {commandNames, type OptionTable} from './option.js';

/** Where the repository and the backup are, and --force: the options most fronts take first. */
export interface GeneralOptionValues {
	repo: string;
	target: string;
	force: boolean;
}

/** How a front answers: JSON, stack traces, --help; listed last. */
export interface OutputOptionValues {
	json: boolean;
	debug: boolean;
	demo: boolean;
	help: boolean;
	version: boolean;
}

export const generalOptions = {
	repo: {
		kind: 'string', value: 'DIR', commands: [...commandNames, 'tui'],
		help: 'the crx-quickstart folder, or the install folder holding it', default: './crx-quickstart, else . if it has repository/',
		helpFor: {
			list: 'the repository whose backups to list (default: the one in this folder, if any)',
			delete: 'the repository whose backups BACKUP is looked up among (default: the one in this folder, if any)',
			adopt: 'the repository whose backups BACKUP is looked up among (default: the one in this folder, if any)',
			verify: 'the repository whose backups BACKUP is looked up among (default: the one in this folder, if any)',
			restore: 'the repository whose backups BACKUP is looked up among (default: the one in this folder, if any)',
			drill: 'the live install whose backups are drilled; its owner runs the drill AEM, nothing of it is touched (default: the one in this folder, if any)',
			prune: 'the repository whose backups are pruned (default: the one in this folder, if any)',
			push: 'the repository whose backups BACKUP is looked up among (default: the one in this folder, if any)',
		},
	},
	target: {
		kind: 'string', value: 'PATH', commands: ['backup', 'estimate', 'tui'],
		help: 'a directory, or a file ending in .zip; relative paths resolve in the parent of the install folder',
		default: 'backup-YYYYMMDD-HHMM.zip in the parent of the install folder',
	},
	force: {
		kind: 'boolean', commands: ['backup', 'estimate', 'restore', 'tui'],
		help: 'start even without enough free space at the target, or (--aem) while AEM runs a backup or GC, or (offline) back up an AEM that is already down without starting it',
		helpFor: {
			estimate: 'exit 0 although backup would refuse to start for want of space (backup --force starts anyway)',
			restore: 'restore a directory backup still marked in progress',
			tui: 'Create Backup starts with Force ticked (short of space, AEM busy, AEM already down) and so does the restore wizard (a backup marked in progress)',
		},
		tui: {
			backup: {label: 'Force', group: 'AEM', help: 'start even without enough free space at the target (or while AEM runs a backup or GC)'},
			restore: {label: 'Force: restore a directory backup still marked in progress', help: 'a backup marked in progress may be incomplete.'},
		},
	},
} as const satisfies OptionTable<GeneralOptionValues>;

export const outputOptions = {
	json: {
		kind: 'boolean', commands: ['backup', 'estimate', 'list', 'verify', 'restore', 'drill', 'prune', 'status', 'push'],
		help: 'print one JSON object on stdout',
	},
	debug: {kind: 'boolean', commands: [...commandNames, 'tui'], help: 'print stack traces'},
	demo: {kind: 'boolean', commands: ['tui'], help: 'the terminal UI on a demo repository under load'},
	help: {kind: 'boolean', commands: [...commandNames, 'tui'], help: 'print this help'},
	version: {kind: 'boolean', commands: ['tui'], help: 'print the version'},
} as const satisfies OptionTable<OutputOptionValues>;
