import readline from 'node:readline';
import {cancelled, CrxError, usageError} from '../engine/index.js';
import type {ListOptions, Repository} from '../engine/types.js';
import type {CommandContext} from './context.js';

/**
 * The repository list and delete work next to: --repo when given (a bad one is
 * an error), else the one in the current folder, else none (only --dir then).
 */
export async function optionalRepository(context: CommandContext): Promise<Repository | undefined> {
	if (context.flags.repo !== undefined) return context.engine.resolveRepository(context.flags.repo);
	try {
		return await context.engine.resolveRepository(undefined, process.cwd());
	} catch (error) {
		if (error instanceof CrxError && error.kind === 'usage') return undefined;
		throw error;
	}
}

export async function listOptions(context: CommandContext): Promise<ListOptions> {
	return {repository: await optionalRepository(context), dirs: context.flags.dir};
}

/** The BACKUP argument every catalog command but list takes. */
export function backupArgument(context: CommandContext, command: string): string {
	const [backup, ...rest] = context.input;
	if (backup === undefined || rest.length > 0) {
		throw usageError(`${command} takes one BACKUP (a path, or a name \`crx-backup list\` shows); see --help.`);
	}
	return backup;
}

/** Asks a yes/no question on the terminal; anything but y or yes is no. */
export async function confirm(context: CommandContext, question: string): Promise<boolean> {
	const rl = readline.createInterface({input: context.stdin, output: context.stderr});
	try {
		const answer = await new Promise<string>((resolve, reject) => {
			const onAbort = () => reject(cancelled());
			context.signal.addEventListener('abort', onAbort, {once: true});
			rl.question(question, value => {
				context.signal.removeEventListener('abort', onAbort);
				resolve(value);
			});
		});
		return /^y(es)?$/i.test(answer.trim());
	} finally {
		rl.close();
	}
}
