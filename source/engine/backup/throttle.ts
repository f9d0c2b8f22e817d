import {setTimeout as sleep} from 'node:timers/promises';
import type {BackupKind} from '../types.js';

const mebibyte = 1024 * 1024;
/** Timers are coarse: sleep in batches of at least this much, never per 4 KiB. */
const batchMs = 50;

/** AEM's divisor: the delay costs half as much per MiB for a directory backup as for a zip. */
export const delayDivisor = (kind: BackupKind): 2 | 4 => (kind === 'zip' ? 2 : 4);

/** AEM's estimate of the time a delay adds, in seconds: repository MiB × delay ms ÷ divisor. */
export function estimateDelaySeconds(repositoryBytes: number, delayMs: number, kind: BackupKind): number {
	return (repositoryBytes / mebibyte) * delayMs / delayDivisor(kind);
}

/**
 * Spreads the estimated delay over the bytes copied in stages 1 and 2, so that the
 * added time comes true: every byte owes `msPerByte`, and the debt is slept off in
 * batches shared by all copy workers (they all wait on the same sleep). The total
 * never exceeds the estimate (`budgetMs`): stage 2 re-copying busy files must not
 * make the estimate a lie. A re-sync that copies little sleeps little.
 */
export class Throttle {
	private debtMs = 0;
	private sleeping: Promise<void> | undefined;
	private slept = 0;
	private owed = 0;

	constructor(private readonly msPerByte: number, private readonly budgetMs: number, private readonly signal?: AbortSignal) {}

	static forBackup(delayMs: number, kind: BackupKind, repositoryBytes: number, signal?: AbortSignal): Throttle {
		return new Throttle(delayMs * 1000 / delayDivisor(kind) / mebibyte, estimateDelaySeconds(repositoryBytes, delayMs, kind) * 1000, signal);
	}

	/** Whether there is a delay to pay at all. */
	get active(): boolean {
		return this.msPerByte > 0;
	}

	get sleptMs(): number {
		return this.slept;
	}

	/** What the bytes passed so far owe, capped at the estimate: the time the throttle means to add (sleeps overshoot it). */
	get owedMs(): number {
		return this.owed;
	}

	async pass(bytes: number): Promise<void> {
		if (this.msPerByte === 0) return;
		const charge = Math.min(bytes * this.msPerByte, this.budgetMs - this.owed);
		this.owed += Math.max(0, charge);
		this.debtMs += Math.max(0, charge);
		if (!this.sleeping && this.debtMs >= batchMs) {
			const ms = this.debtMs;
			this.debtMs = 0;
			const started = Date.now();
			this.sleeping = sleep(ms, undefined, {signal: this.signal}).catch(() => undefined).finally(() => {
				this.slept += Date.now() - started;
				this.sleeping = undefined;
			});
		}
		await this.sleeping;
	}

	/** Sleeps off what is still owed (end of a throttled stage). */
	async settle(): Promise<void> {
		await this.sleeping;
		if (this.debtMs > 0) {
			const ms = this.debtMs;
			this.debtMs = 0;
			const started = Date.now();
			await sleep(ms, undefined, {signal: this.signal}).catch(() => undefined);
			this.slept += Date.now() - started;
		}
	}
}
