/**
 * Errors the engine throws. Every message is one sentence an operator can act on;
 * the front ends print `message` alone (a stack trace only with --debug) and map
 * `exitCode` to the process exit code.
 */
export type ErrorKind = 'usage' | 'failed' | 'cancelled';

const exitCodes: Record<ErrorKind, number> = {usage: 2, failed: 1, cancelled: 130};

export class CrxError extends Error {
	readonly kind: ErrorKind;
	constructor(kind: ErrorKind, message: string, options?: {cause?: unknown}) {
		super(message, options);
		this.name = 'CrxError';
		this.kind = kind;
	}

	get exitCode(): number {
		return exitCodes[this.kind];
	}
}

/** Bad input: exit 2, nothing written. */
export const usageError = (message: string) => new CrxError('usage', message);
/** The operation failed: exit 1. */
export const failure = (message: string, cause?: unknown) => new CrxError('failed', message, {cause});
/** Cancelled by a signal or the operator: exit 130. */
export const cancelled = (message = 'Cancelled.') => new CrxError('cancelled', message);

/** Throws the cancel error when the signal has fired; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw cancelled();
}

/** A long path for a message: its start and end, the middle left out (a 4,000-byte path made an 8 KB error). */
export function shortPath(text: string, max = 120): string {
	if (text.length <= max) return text;
	const half = Math.floor((max - 1) / 2);
	return `${text.slice(0, half)}…${text.slice(-half)}`;
}

/** Turns a Node fs error into one sentence; disk full gets its own wording. */
export function describeFsError(error: unknown, action: string): string {
	const code = (error as NodeJS.ErrnoException)?.code;
	const path = (error as NodeJS.ErrnoException)?.path;
	const where = path ? ` (${shortPath(path)})` : '';
	switch (code) {
		case 'ENOSPC':
		case 'EDQUOT': return `No space left on the device while ${action}${where}: free some space or choose another target.`;
		case 'EACCES':
		case 'EPERM': return `Permission denied while ${action}${where}.`;
		case 'EROFS': return `The file system is read-only while ${action}${where}.`;
		case 'ENOENT': return `A path does not exist while ${action}${where}.`;
		case 'ENAMETOOLONG': return `A path is longer than the system allows while ${action}${where}.`;
		default: {
			const message = (error as Error)?.message ?? String(error);
			return `Failed while ${action}${where}: ${path ? message.split(path).join(shortPath(path)) : message}.`;
		}
	}
}
