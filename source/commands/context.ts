import type {RawBackupOptions} from '../engine/index.js';
import type {Engine} from '../engine/types.js';

/**
 * Every flag any command takes; meow parses them once in cli.tsx. The backup's
 * options are the engine's RawBackupOptions (one list, checked by its rules);
 * here only the flags meow always fills (lists, booleans) are narrowed, and the rest added.
 */
export interface Flags extends RawBackupOptions {
	repo?: string;
	target?: string;
	exclude: string[];
	externalDatastore: boolean;
	filesOnly: boolean;
	incremental: boolean;
	datastoreTo?: string;
	pointConfig: boolean;
	dir: string[];
	to?: string;
	only: string[];
	deleteIndex: boolean;
	force: boolean;
	yes: boolean;
	json: boolean;
	debug: boolean;
	demo: boolean;
	dryRun: boolean;
	maxAge?: string;
	resticRepo?: string;
}

export interface CommandContext {
	/** Positional arguments after the command name. */
	input: string[];
	flags: Flags;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	engine: Engine;
	/** Aborted on SIGINT or SIGTERM. */
	signal: AbortSignal;
}

/** A headless command: returns the process exit code; throws CrxError for the front end to print. */
export type Command = (context: CommandContext) => Promise<number>;
