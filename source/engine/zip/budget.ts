/**
 * A counting semaphore for the writer's bounded resources (piece memory, queued
 * items, running deflates). Waiters are served first come, first served, so a big
 * request is not starved by small ones. break() rejects every waiter and every
 * later acquire: that is how a failure or an abort unblocks a producer.
 */
interface Waiter {
	amount: number;
	resolve(): void;
	reject(error: unknown): void;
}

export class Budget {
	private available: number;
	private readonly waiters: Waiter[] = [];
	private broken: unknown;

	constructor(readonly capacity: number) {
		this.available = capacity;
	}

	/** Resolves once `amount` (capped at the capacity) is taken; give it back with release(amount). */
	acquire(amount: number): Promise<void> {
		const wanted = Math.min(amount, this.capacity);
		if (this.broken !== undefined) return Promise.reject(this.broken);
		if (this.waiters.length === 0 && this.available >= wanted) {
			this.available -= wanted;
			return Promise.resolve();
		}

		return new Promise((resolve, reject) => {
			this.waiters.push({amount: wanted, resolve, reject});
		});
	}

	release(amount: number): void {
		this.available += Math.min(amount, this.capacity);
		while (this.waiters.length > 0 && this.available >= this.waiters[0].amount) {
			const waiter = this.waiters.shift()!;
			this.available -= waiter.amount;
			waiter.resolve();
		}
	}

	break(error: unknown): void {
		if (this.broken !== undefined) return;
		this.broken = error;
		for (const waiter of this.waiters.splice(0)) waiter.reject(error);
	}
}
