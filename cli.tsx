#!/usr/bin/env -S node --max-semi-space-size=4 --optimize-for-size
// The shebang's node flags keep peak memory down, no slower in the benchmark: --max-semi-space-size=4, a smaller
// young generation (the engine makes many short-lived objects; a 20,000-file zip backup: 149 → 130 MiB), and
// --optimize-for-size, V8's smaller heap growth (the TUI's 1 GiB directory backup: 159 → 107 MiB; Ink, React
// and yoga alone take 46 MiB). bench/ runs both front ends with the same flags.
import './source/threadpool.js';
import process from 'node:process';
import meow from 'meow';
import {CrxError} from './source/engine/platform/errors.js';
import {escapeControls} from './source/words/format.js';
import {checkOptions, commandNames, helpCommand, refusalOf, type CommandName} from './source/engine/options/index.js';
import {booleanMisuse, givenOptions, meowFlags, withDefaults} from './source/commands/flags.js';
import type {Command} from './source/commands/context.js';

// Unknown flags are reported here, in one prefixed sentence: meow's own check prints two bare lines and exits.
const cli = parseArguments();

/**
 * meow throws on what it refuses itself (a single-value flag given twice: "The flag --delay can only be set
 * once."): that is bad usage, so one prefixed sentence and exit 2, never its stack trace.
 */
function parseArguments() {
	try {
		// --help and --version are the registry's flags too (printed below, per command); no defaults, so what was typed shows.
		return meow('', {importMeta: import.meta, allowUnknownFlags: true, autoHelp: false, autoVersion: false, booleanDefault: undefined, flags: meowFlags});
	} catch (error) {
		const message = ((error as Error)?.message ?? String(error)).replace(/\.$/, '');
		process.stderr.write(`crx-backup: ${message.charAt(0).toLowerCase()}${message.slice(1)}; see crx-backup --help for the flags.\n`);
		process.exit(2);
	}
}

/** Flags meow parsed that we do not know (with allowUnknownFlags it keeps them, camel-cased), as typed: --name or -x. */
function unknownFlags(): string[] {
	const known = new Set([...Object.keys(meowFlags), '--']);
	return Object.keys(cli.flags).filter(key => !known.has(key))
		.map(key => (key.length === 1 ? `-${key}` : `--${key.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`));
}

const commands: Record<CommandName, () => Promise<Command>> = {
	backup: async () => (await import('./source/commands/backup.js')).backupCommand,
	estimate: async () => (await import('./source/commands/estimate.js')).estimateCommand,
	list: async () => (await import('./source/commands/list.js')).listCommand,
	delete: async () => (await import('./source/commands/delete.js')).deleteCommand,
	adopt: async () => (await import('./source/commands/adopt.js')).adoptCommand,
	verify: async () => (await import('./source/commands/verify.js')).verifyCommand,
	restore: async () => (await import('./source/commands/restore.js')).restoreCommand,
	drill: async () => (await import('./source/commands/drill.js')).drillCommand,
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
	const [name, ...input] = cli.input;
	if (name !== undefined && !(commandNames as readonly string[]).includes(name)) {
		process.stderr.write(`crx-backup: unknown command "${name}"; the commands are: ${commandNames.join(', ')}.\n`);
		return 2;
	}
	const front = (name ?? 'tui') as CommandName | 'tui';
	// A boolean with a value or given twice: meow reads it as some boolean and runs; bad usage, before anything runs.
	const misuse = booleanMisuse(process.argv.slice(2));
	if (misuse) {
		process.stderr.write(`crx-backup: ${escapeControls(misuse)}; see ${helpCommand(front)}.\n`);
		return 2;
	}
	const given = givenOptions(cli.flags);
	if (given.includes('help')) {
		const {helpText} = await import('./source/commands/help.js');
		process.stdout.write(helpText(front));
		return 0;
	}
	// A flag the command does not take is bad usage (backup --dry-run would otherwise prune for real): one sentence, exit 2.
	const refusal = refusalOf(front, given);
	if (refusal) {
		process.stderr.write(`crx-backup: ${refusal}\n`);
		return 2;
	}
	if (given.includes('version')) {
		process.stdout.write(`${cli.pkg.version ?? ''}\n`);
		return 0;
	}
	const flags = withDefaults(cli.flags, front);
	// Every rule of the options this front takes, before anything runs (a bad value is exit 2, nothing written).
	checkOptions(front, flags);
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

	const load = commands[name as CommandName];
	const controller = new AbortController();
	const onSignal = () => controller.abort();
	// A hangup (a closed terminal, a dropped SSH session) is a cancel like SIGTERM: unhandled, it would kill the
	// process with no clean-up (a backup's thaw, a drill's AEM and scratch folder).
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
	const command = await load();
	return command({input, flags, engine, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: controller.signal});
}

try {
	process.exitCode = await main();
} catch (error) {
	if (error instanceof CrxError) {
		// One sentence on one line: it may name a file another user named (a newline, a terminal escape).
		process.stderr.write(`crx-backup: ${escapeControls(error.message)}\n`);
		if (cli.flags.debug && error.cause) process.stderr.write(`${(error.cause as Error).stack ?? String(error.cause)}\n`);
		process.exitCode = error.exitCode;
	} else {
		const message = (error as Error)?.message ?? String(error);
		process.stderr.write(`crx-backup: unexpected failure: ${escapeControls(message)}${cli.flags.debug ? '' : ' (run with --debug for details)'}\n`);
		if (cli.flags.debug) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
		process.exitCode = 1;
	}
}
