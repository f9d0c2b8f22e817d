import process from 'node:process';
import {render} from 'ink';
import {checkBackupOptions, CrxError, parseRetention, type RawRetention} from '../engine/index.js';
import type {Engine, Repository} from '../engine/types.js';
import {App, type AppProps, type Interrupts} from './app.js';
import {prefillFromFlags, type TuiFlags} from './options/prefill.js';
import {enterFullScreen} from './full-screen.js';
import {themeFor} from './theme.js';

export interface RunTuiOptions {
	engine: Engine;
	repo?: string;
	/** Build a demo repository under load in a temp folder and open the TUI on it. */
	demo?: boolean;
	/** The backup and restore flags given with the TUI: its forms start with them (and they are checked first, as the CLI does). */
	flags?: TuiFlags;
	/** --keep-* as typed: the Backups screen marks what that policy would prune. */
	policy?: RawRetention;
}

/**
 * Opens the TUI and resolves with the exit code: 0 on quit, 130 when Ctrl+C or a
 * signal cancelled a running job, the error's code when the repository does not
 * resolve (its one-sentence message goes to stderr).
 */
export async function runTui({engine, repo, demo, flags = {}, policy: rawPolicy}: RunTuiOptions): Promise<number> {
	// A bad flag is refused before the screen opens, with the CLI's sentence and exit 2, as `backup` refuses it.
	const refused = checkFlags(flags);
	if (refused) return fail(refused);
	const prefill = prefillFromFlags(flags);
	const policy = parseRetentionOrError(rawPolicy);
	if (policy instanceof CrxError) return fail(policy);
	if (!demo) {
		const repository = await resolve(engine, repo);
		return repository instanceof CrxError ? fail(repository) : show({engine, repository, prefill, policy});
	}
	const {startDemo, demoPrefill} = await import('./demo.js');
	// CRX_BACKUP_DEMO_MIB (tests, a slow machine): a smaller demo repository than the default ~150 MiB.
	const mib = Number(process.env.CRX_BACKUP_DEMO_MIB);
	const session = await startDemo({log: line => process.stderr.write(`${line}
`), ...(mib > 0 ? {sizeBytes: mib * 1024 * 1024} : {})});
	try {
		const repository = await resolve(engine, session.repo);
		if (repository instanceof CrxError) return fail(repository);
		return await show({engine, repository, policy, prefill: {...prefill, backup: demoPrefill(session, prefill.backup)}, demo: {runDatastoreGc: session.runDatastoreGc, folder: session.root}});
	} finally {
		await session.stop();
	}
}

function checkFlags(flags: TuiFlags): CrxError | undefined {
	try {
		checkBackupOptions(flags);
		return undefined;
	} catch (error) {
		if (error instanceof CrxError) return error;
		throw error;
	}
}

async function resolve(engine: Engine, repo?: string): Promise<Repository | CrxError> {
	try {
		return await engine.resolveRepository(repo);
	} catch (error) {
		if (error instanceof CrxError) return error;
		throw error;
	}
}

function fail(error: CrxError): number {
	process.stderr.write(`crx-backup: ${error.message}\n`);
	return error.exitCode;
}

/**
 * Raw mode turns the terminal's Ctrl+C into a keypress (handled in App); SIGINT,
 * SIGTERM and SIGHUP from elsewhere take the same path, so a running backup still thaws.
 */
async function show(props: Omit<AppProps, 'onQuit' | 'interrupts' | 'theme'>): Promise<number> {
	// Only on a terminal: piped output (a test's, a log's) gets Ink's frames as they are.
	const screen = process.stdout.isTTY ? enterFullScreen() : undefined;
	// Raw before the first frame: a key typed while Ink mounts would be echoed by the terminal onto the row
	// under the frame, which incremental rendering never rewrites. Ink keeps raw mode from here on.
	if (process.stdin.isTTY) process.stdin.setRawMode(true);
	const listeners = new Set<(signal: NodeJS.Signals) => void>();
	// A signal that comes before the app has subscribed (its first effects) waits for it instead of being lost.
	const early: NodeJS.Signals[] = [];
	const interrupts: Interrupts = {subscribe(listener) {
		listeners.add(listener);
		for (const signal of early.splice(0)) listener(signal);
		return () => listeners.delete(listener);
	}};
	const onSignal = (signal: NodeJS.Signals) => (listeners.size === 0 ? early.push(signal) : listeners.forEach(listener => listener(signal)));
	// SIGHUP: the terminal went away (a closed window, `tmux kill-server`).
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) process.on(signal, onSignal);
	let code = 0;
	let summary: string | undefined;
	try {
		const instance = render(<App {...props} theme={themeFor(process.env)} interrupts={interrupts} onQuit={(value, line) => ((code = value), (summary = line))} />, {
			exitOnCtrlC: false, stdout: screen?.stdout ?? process.stdout,
			// Only the lines that changed are written (the frame is kept one row shorter than the terminal, useRows).
			incrementalRendering: true,
		});
		await instance.waitUntilExit();
		return code;
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
		screen?.restore();
		// The one line left on the restored screen: what this session did.
		if (summary) process.stdout.write(`${summary}\n`);
	}
}

/** --keep-* given to the TUI, through the CLI's rule: a bad count is refused before the screen opens. */
function parseRetentionOrError(raw: RawRetention | undefined): ReturnType<typeof parseRetention> | CrxError {
	try {
		return parseRetention(raw ?? {});
	} catch (error) {
		if (error instanceof CrxError) return error;
		throw error;
	}
}
