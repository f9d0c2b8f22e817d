import type {CommandName} from './option.js';

/** Each command's arguments (besides its flags) and its one line in `crx-backup --help`. */
export const commandUsage: Record<CommandName, {args: string; summary: string}> = {
	backup: {args: '', summary: 'back up the repository into a zip or a directory; with --keep-*, --push and hooks, the nightly steps after it'},
	estimate: {args: '', summary: 'what a backup would take: size, free space, the delay\'s cost, the storage layout; writes nothing'},
	list: {args: '', summary: 'the backups beside the repository and in --dir folders (and a restic repository\'s snapshots)'},
	delete: {args: 'BACKUP', summary: 'delete a backup (asks first; --yes does not, --dry-run deletes nothing)'},
	adopt: {args: 'BACKUP', summary: 'let prune and delete manage a complete backup crx-backup has no record of making (a copy, an older version\'s)'},
	verify: {args: 'BACKUP', summary: 'read a backup whole and check every file against its manifest; exit 1 when damaged'},
	restore: {args: 'BACKUP --to DIR', summary: 'restore a backup (or restic:REPO#SNAPSHOT) into a new or empty folder'},
	drill: {args: '[BACKUP]', summary: 'restore drill: restore the newest backup (or BACKUP) beside the backups, start AEM there isolated on another port, time it until ready, stop it, remove it'},
	prune: {args: '--keep-last|-hourly|-daily|-weekly|-monthly N...', summary: 'delete the backups no --keep-* rule keeps, as restic forget does'},
	status: {args: '', summary: 'one line for monitoring: the newest backup\'s age and the last run; exit 1 unless OK'},
	push: {args: 'BACKUP --restic-repo REPO', summary: 'copy a backup into a restic repository'},
};

/** How a front is named in a sentence, and where its flags are listed. */
export const frontName = (front: CommandName | 'tui'): string => (front === 'tui' ? 'the terminal UI' : front);
export const helpCommand = (front: CommandName | 'tui'): string => (front === 'tui' ? 'crx-backup --help' : `crx-backup ${front} --help`);
