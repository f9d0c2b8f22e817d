#!/usr/bin/env -S node --max-semi-space-size=4 --optimize-for-size
// The shebang's node flags keep peak memory down, no slower in the benchmark: --max-semi-space-size=4, a smaller
// young generation (the engine makes many short-lived objects; a 20,000-file zip backup: 149 → 130 MiB), and
// --optimize-for-size, V8's smaller heap growth (the TUI's 1 GiB directory backup: 159 → 107 MiB; Ink, React
// and yoga alone take 46 MiB). bench/ runs both front ends with the same flags.
import './source/threadpool.js';
import process from 'node:process';
import meow, {type AnyFlags} from 'meow';
import {CrxError} from './source/engine/errors.js';
import {defaultFreezeTimeoutMs, defaultStopTimeoutMs, maxDelayMs, maxFreezeTimeoutSeconds} from './source/engine/option-rules.js';
import type {Command, Flags} from './source/commands/context.js';

const help = `
  Usage
    $ crx-backup [--repo DIR] [backup and restore options]
                                                   open the terminal UI; its forms start with the options
    $ crx-backup --demo                            the terminal UI on a demo repository under load
    $ crx-backup backup   [--repo DIR] [--target PATH] [--delay MS] [--exclude P]...
                          [--freeze-cmd CMD] [--thaw-cmd CMD] [--freeze-timeout S] [--force] [--json]
                          [--aem URL [--aem-user USER]] [--maintenance-window HH:MM-HH:MM|none]
                          [--keep-* N]... [--on-success CMD] [--on-failure CMD] [--hook-timeout S]
                          [--datastore PATH | --no-external-datastore] [--files-only]
                          [--link-dest PREVIOUS | --incremental] [--push RESTIC_REPO]
                          [--method online|snapshot|offline] [--snapshot-cmd CMD] [--snapshot-release-cmd CMD]
                          [--stop-cmd CMD] [--start-cmd CMD] [--stop-timeout S]
    $ crx-backup estimate [--repo DIR] [--target PATH] [--delay MS] [--exclude P]... [--force] [--json]
    $ crx-backup list     [--repo DIR] [--dir DIR]... [--restic-repo REPO] [--json]
    $ crx-backup delete   BACKUP [--repo DIR] [--dir DIR]... [--yes]
    $ crx-backup verify   BACKUP [--repo DIR] [--dir DIR]... [--json]
    $ crx-backup restore  BACKUP --to DIR [--delete-index] [--only PATH]... [--force] [--json]
                          [--datastore-to DIR] [--point-config]
    $ crx-backup prune    --keep-last|-hourly|-daily|-weekly|-monthly N... [--repo DIR] [--dir DIR]...
                          [--dry-run] [--restic-repo REPO] [--json]
    $ crx-backup status   [--repo DIR] [--dir DIR]... [--max-age 26h] [--json]
                          (BACKUP may be restic:REPO#SNAPSHOT)
    $ crx-backup push     BACKUP --restic-repo REPO [--json]

  Options
    --repo DIR          the crx-quickstart folder, or the install folder holding it
                        (default: ./crx-quickstart, else . if it has repository/)
    --target PATH       a directory, or a file ending in .zip (default: backup-YYYYMMDD-HHMM.zip
                        in the parent of the install folder; relative paths resolve there)
    --delay MS          throttle, whole ms from 0 to ${maxDelayMs}: adds about repository MiB × MS ÷ 4 s
                        (directory) or ÷ 2 s (zip)
    --exclude P         leave out the path P (relative to crx-quickstart, no wildcards);
                        repository/index and repository/cache are always left out
    --freeze-cmd CMD    blocks repository writes before stage 4 (run with sh -c)
    --thaw-cmd CMD      unblocks them after stage 4; always runs once the freeze ran
    --freeze-timeout S  stop a freeze command still running after S seconds (default ${defaultFreezeTimeoutMs / 1000}, at most ${maxFreezeTimeoutSeconds})
    --aem URL           block writes through AEM's JMX console at URL (blockRepositoryWrites /
                        unblockRepositoryWrites), and refuse to start while AEM runs its own
                        backup or a garbage collection (--force starts anyway); the password
                        comes from CRX_BACKUP_AEM_PASSWORD or ~/.netrc (machine = the URL's host)
    --aem-user USER     AEM's user for --aem (default: the .netrc login, else admin)
    --maintenance-window HH:MM-HH:MM
                        without --aem, warn when a backup starts in it (local time, default
                        02:00-05:00, when AEM's online revision cleanup runs); none: no warning
    --datastore PATH    the external FileDataStore's folder (default: as its OSGi configuration says)
    --no-external-datastore  leave an external datastore out (the backup is then not restorable alone)
    --files-only        back up the files although nodes or binaries live in MongoDB, S3 or Azure
    --datastore-to DIR  restore the external datastore into DIR (new or empty) instead of its old path
    --point-config      rewrite the restored FileDataStore configuration's path to where it went
    --link-dest PREV    directory backup: hard-link files unchanged since the complete
                        directory backup PREV instead of copying them (same file system)
    --incremental       the same with PREV the newest complete directory backup beside the target
    --push REPO         backup: push the finished backup to the restic repository REPO
    --restic-repo REPO  a restic repository (password: RESTIC_PASSWORD_FILE or
                        RESTIC_PASSWORD_COMMAND in the environment, never a flag)
    --method M          online (default): four converging stages, stage 4 with writes blocked;
                        snapshot: freeze, snapshot, thaw, copy the snapshot (btrfs, or --snapshot-cmd);
                        offline: stop AEM, copy, start AEM (restarted right after a snapshot if any)
    --snapshot-cmd CMD  makes and mounts a snapshot; prints the snapshot's path of the install folder
    --snapshot-release-cmd CMD  releases it (its path in CRX_BACKUP_SNAPSHOT); always runs after the snapshot
    --stop-cmd CMD      offline: stops AEM (default crx-quickstart/bin/stop)
    --start-cmd CMD     offline: starts AEM (default crx-quickstart/bin/start); always runs once the stop ran
    --stop-timeout S    offline: AEM must be down within S seconds (default ${defaultStopTimeoutMs / 1000}) or the backup aborts
    --dir DIR           another folder to look for backups in
    --to DIR            restore into DIR, which must be new or empty
    --delete-index      remove crx-quickstart/repository/index after restoring
    --only PATH         restore only this subtree (repeatable)
    --force             backup: start even without enough free space at the target, or (--aem)
                        while AEM runs a backup or GC;
    --force             backup: start even without enough free space at the target, or (offline)
                        back up an AEM that is already down without starting it;
                        restore: restore a directory backup still marked in progress
    --yes               delete without asking
    --keep-last N       prune (and backup, after a success): keep the N newest backups; --keep-hourly,
    --keep-daily N      --keep-daily, --keep-weekly, --keep-monthly N keep the newest backup of each of
                        the N newest hours, days, ISO weeks, months (local time), as restic forget does
    --dry-run           prune: say what would be deleted, delete nothing
    --max-age AGE       status: older than this (26h, 90m, 2d; default 26h) is stale, exit 1
    --on-success CMD    backup: run CMD (sh -c) after a successful backup (and prune); env
    --on-failure CMD    CRX_BACKUP_STATUS, CRX_BACKUP_TARGET, CRX_BACKUP_SUMMARY (the run's JSON record)
    --hook-timeout S    stop a hook still running after S seconds (default 60); a failing hook only warns
    --json              print one JSON object on stdout
    --debug             print stack traces

  Exit codes: 0 done, 1 failed, 2 bad usage or input, 130 cancelled.
`;

const flagSpec = {
		repo: {type: 'string'},
		target: {type: 'string'},
		delay: {type: 'string'},
		exclude: {type: 'string', isMultiple: true, default: []},
		freezeCmd: {type: 'string'},
		thawCmd: {type: 'string'},
		freezeTimeout: {type: 'string'},
		aem: {type: 'string'},
		aemUser: {type: 'string'},
		maintenanceWindow: {type: 'string'},
		datastore: {type: 'string'},
		externalDatastore: {type: 'boolean', default: true},
		filesOnly: {type: 'boolean', default: false},
		datastoreTo: {type: 'string'},
		pointConfig: {type: 'boolean', default: false},
		method: {type: 'string'},
		snapshotCmd: {type: 'string'},
		snapshotReleaseCmd: {type: 'string'},
		stopCmd: {type: 'string'},
		startCmd: {type: 'string'},
		stopTimeout: {type: 'string'},
		dir: {type: 'string', isMultiple: true, default: []},
		to: {type: 'string'},
		only: {type: 'string', isMultiple: true, default: []},
		deleteIndex: {type: 'boolean', default: false},
		force: {type: 'boolean', default: false},
		yes: {type: 'boolean', default: false},
		json: {type: 'boolean', default: false},
		debug: {type: 'boolean', default: false},
		demo: {type: 'boolean', default: false},
		keepLast: {type: 'string'},
		keepHourly: {type: 'string'},
		keepDaily: {type: 'string'},
		keepWeekly: {type: 'string'},
		keepMonthly: {type: 'string'},
		dryRun: {type: 'boolean', default: false},
		maxAge: {type: 'string'},
		onSuccess: {type: 'string'},
		onFailure: {type: 'string'},
		hookTimeout: {type: 'string'},
		linkDest: {type: 'string'},
		incremental: {type: 'boolean', default: false},
		resticRepo: {type: 'string'},
		push: {type: 'string'},
} satisfies AnyFlags;

// Unknown flags are reported here, in one prefixed sentence: meow's own check prints two bare lines and exits.
const cli = parseArguments();

/**
 * meow throws on what it refuses itself (a single-value flag given twice: "The flag --delay can only be set
 * once."): that is bad usage, so one prefixed sentence and exit 2, never its stack trace (red-team finding 6).
 */
function parseArguments() {
	try {
		return meow(help, {importMeta: import.meta, allowUnknownFlags: true, flags: flagSpec});
	} catch (error) {
		const message = ((error as Error)?.message ?? String(error)).replace(/\.$/, '');
		process.stderr.write(`crx-backup: ${message.charAt(0).toLowerCase()}${message.slice(1)}; see crx-backup --help for the flags.\n`);
		process.exit(2);
	}
}

/** Flags meow parsed that we do not know (with allowUnknownFlags it keeps them, camel-cased), as typed: --name or -x. */
function unknownFlags(): string[] {
	const known = new Set([...Object.keys(flagSpec), 'help', 'version', '--']);
	return Object.keys(cli.flags).filter(key => !known.has(key))
		.map(key => (key.length === 1 ? `-${key}` : `--${key.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`));
}

const commands: Record<string, () => Promise<Command>> = {
	backup: async () => (await import('./source/commands/backup.js')).backupCommand,
	estimate: async () => (await import('./source/commands/estimate.js')).estimateCommand,
	list: async () => (await import('./source/commands/list.js')).listCommand,
	delete: async () => (await import('./source/commands/delete.js')).deleteCommand,
	verify: async () => (await import('./source/commands/verify.js')).verifyCommand,
	restore: async () => (await import('./source/commands/restore.js')).restoreCommand,
	prune: async () => (await import('./source/commands/prune.js')).pruneCommand,
	status: async () => (await import('./source/commands/status.js')).statusCommand,
	push: async () => (await import('./source/commands/push.js')).pushCommand,
};

/**
 * Ink decides once, when it is loaded, that CI=true means "no live rendering" (is-in-ci). Both ends
 * are terminals here, so an operator's CI variable (or a test run under CI) must not blank the TUI;
 * the variables are back before anything else (freeze and thaw commands) sees the environment.
 */
async function withoutCiVariables<T>(load: () => Promise<T>): Promise<T> {
	const saved = {CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION};
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	try {
		return await load();
	} finally {
		for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
	}
}

async function main(): Promise<number> {
	const unknown = unknownFlags();
	if (unknown.length > 0) {
		process.stderr.write(`crx-backup: unknown flag${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; see crx-backup --help for the flags.\n`);
		return 2;
	}
	const flags = cli.flags as unknown as Flags;
	const [name, ...input] = cli.input;
	const {engine} = await import('./source/engine/index.js');

	if (name === undefined) {
		if (!process.stdin.isTTY || !process.stdout.isTTY) {
			process.stderr.write('crx-backup: the terminal UI needs a terminal; use the headless commands instead: backup, estimate, list, delete, verify, restore (see --help).\n');
			return 2;
		}
		process.env.NODE_ENV ??= 'production'; // React's development build costs CPU and memory an operator never needs.
		const {runTui} = await withoutCiVariables(async () => import('./source/ui/run-tui.js'));
		return runTui({engine, repo: flags.repo, demo: flags.demo, flags, policy: flags});
	}

	const load = commands[name];
	if (!load) {
		process.stderr.write(`crx-backup: unknown command "${name}"; the commands are: ${Object.keys(commands).join(', ')}.\n`);
		return 2;
	}

	const controller = new AbortController();
	const onSignal = () => controller.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	const command = await load();
	return command({input, flags, engine, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: controller.signal});
}

try {
	process.exitCode = await main();
} catch (error) {
	if (error instanceof CrxError) {
		process.stderr.write(`crx-backup: ${error.message}\n`);
		if (cli.flags.debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
		process.exitCode = error.exitCode;
	} else {
		const message = (error as Error)?.message ?? String(error);
		process.stderr.write(`crx-backup: unexpected failure: ${message}${cli.flags.debug ? '' : ' (run with --debug for details)'}\n`);
		if (cli.flags.debug) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
		process.exitCode = 1;
	}
}
