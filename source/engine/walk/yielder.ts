import {setImmediate as tick} from 'node:timers/promises';

/**
 * The copy loops use synchronous fs calls: each async call costs a thread-pool
 * hand-off (~100 µs here) that dwarfs the syscall itself, and a backup makes
 * several per file. To keep the event loop (timers, signals, the TUI) alive, the
 * loops call `maybe()` often; it yields once `sliceMs` of work have gone by.
 */
export class Yielder {
	private last = performance.now();

	constructor(private readonly sliceMs = 15) {}

	async maybe(): Promise<void> {
		if (this.due()) await this.pause();
	}

	/** Whether the slice is used up. In a loop over every entry, `if (due()) await pause()` spares an await per entry. */
	due(): boolean {
		return performance.now() - this.last >= this.sliceMs;
	}

	async pause(): Promise<void> {
		await tick();
		this.last = performance.now();
	}
}
