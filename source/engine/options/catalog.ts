import {defaultMaxAgeMs, parseMaxAge} from '../option-rules.js';
import {checkResticRepo} from '../restic/restic-process.js';
import {resticRepoFromEnvironment} from '../restic/repository.js';
import type {OptionTable} from './option.js';

/** Where backups are looked for, and what list, delete, prune, status and push take besides. */
export interface CatalogOptionValues {
	dir: string[];
	yes: boolean;
	dryRun: boolean;
	resticRepo: string;
	maxAge: string;
}

const lookingUp = ['backup', 'list', 'delete', 'adopt', 'verify', 'restore', 'drill', 'prune', 'status', 'push'] as const;

export const catalogOptions = {
	dir: {
		kind: 'list', value: 'DIR', commands: lookingUp,
		help: 'another folder to look for backups in (repeatable)',
		helpFor: {backup: 'with --keep-*: another folder to prune in, besides the one the backup was written to (repeatable)'},
	},
	yes: {kind: 'boolean', commands: ['delete'], help: 'delete without asking'},
	dryRun: {
		kind: 'boolean', commands: ['delete', 'prune'],
		help: 'say what would be deleted, delete nothing',
		refusalFor: {
			backup: 'backup does not take --dry-run: `crx-backup estimate` says what a backup would take, and `crx-backup prune --dry-run` with the same --keep-* rules what they would delete.',
		},
	},
	resticRepo: {
		kind: 'string', value: 'REPO', commands: ['list', 'prune', 'push'],
		help: 'a restic repository (password: RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND in the environment, never a flag)',
		helpFor: {
			list: "also list the crx-backup snapshots in the restic repository REPO (password: RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND)",
			prune: "also forget (and prune) this repository's snapshots in the restic repository REPO by the same rules",
			push: 'the restic repository to store the backup in (default: RESTIC_REPOSITORY or RESTIC_REPOSITORY_FILE; password: RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND)',
		},
		rule: raw => void (raw.resticRepo === undefined ? undefined : checkResticRepo(raw.resticRepo)),
		// Where the repository is required: a URL with a password need not be on the command line.
		environment: {commands: ['push'], variables: ['RESTIC_REPOSITORY', 'RESTIC_REPOSITORY_FILE'], read: resticRepoFromEnvironment},
	},
	maxAge: {
		kind: 'string', value: 'AGE', commands: ['status'], default: `${defaultMaxAgeMs / 3_600_000}h`,
		help: 'a newest backup older than this (26h, 90m, 2d) is stale: exit 1',
		rule: raw => void parseMaxAge(raw.maxAge),
	},
} as const satisfies OptionTable<CatalogOptionValues>;
