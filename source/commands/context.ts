import type {Engine} from '../engine/types.js';

/** Every flag any command takes; meow parses them once in cli.tsx. */
export interface Flags {
	repo?: string;
	target?: string;
	delay?: string;
	exclude: string[];
	freezeCmd?: string;
	thawCmd?: string;
	freezeTimeout?: string;
	aem?: string;
	aemUser?: string;
	maintenanceWindow?: string;
	datastore?: string;
	externalDatastore: boolean;
	filesOnly: boolean;
	datastoreTo?: string;
	pointConfig: boolean;
	method?: string;
	snapshotCmd?: string;
	snapshotReleaseCmd?: string;
	stopCmd?: string;
	startCmd?: string;
	stopTimeout?: string;
	dir: string[];
	to?: string;
	only: string[];
	deleteIndex: boolean;
	force: boolean;
	yes: boolean;
	json: boolean;
	debug: boolean;
	demo: boolean;
	keepLast?: string;
	keepHourly?: string;
	keepDaily?: string;
	keepWeekly?: string;
	keepMonthly?: string;
	dryRun: boolean;
	maxAge?: string;
	onSuccess?: string;
	onFailure?: string;
	hookTimeout?: string;
	linkDest?: string;
	incremental: boolean;
	resticRepo?: string;
	push?: string;
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
