import type {Engine} from '../engine/types.js';
import type {Flags} from '../engine/options/index.js';

/**
 * Every flag, as the option registry declares them (source/engine/options/); meow parses them once in
 * cli.tsx, and a command is only started after cli.tsx refused any flag it does not take.
 */
export type {Flags};

export interface CommandContext {
	/** Positional arguments after the command name. */
	input: string[];
	flags: Flags;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	engine: Engine;
	/** Aborted on SIGINT, SIGTERM or SIGHUP. */
	signal: AbortSignal;
}

/** A headless command: returns the process exit code; throws CrxError for the front end to print. */
export type Command = (context: CommandContext) => Promise<number>;
