import type {Worker} from 'node:worker_threads';
import type {WalkOptions} from './scan.js';
import {newWorker} from './worker.js';

/** One part of a split walk, for the worker: entries go into a state file. */
export interface WalkPartJob {
	root: string;
	/** WalkOptions without the callbacks and the signal, which cannot cross threads. */
	options: Omit<WalkOptions, 'signal' | 'onWarning'>;
	entriesOut: string;
}

export type WalkPartReply = {warnings: string[]} | {error: string};

/**
 * A worker thread that a backup keeps for all its walks (the count and stages
 * 2–4): a fresh thread per walk starts with cold code, and its part then took
 * twice as long as the same part on the main thread. Parts run one at a time.
 * A worker that fails or is stopped is not used again: walkInParallel then walks
 * the part on the main thread.
 */
export class WalkWorker {
	/** Parts the worker thread walked (for tests and the benchmark's curiosity). */
	parts = 0;
	private worker: Worker | undefined;
	private broken = false;

	/** The part's warnings; rejects if the worker cannot walk it (the part is then the caller's to walk). */
	async walk(job: WalkPartJob, signal?: AbortSignal): Promise<string[]> {
		const worker = this.start();
		return new Promise((resolve, reject) => {
			const settle = (error: unknown, warnings?: string[]) => {
				worker.off('message', onMessage);
				worker.off('exit', onExit);
				worker.off('error', onError);
				signal?.removeEventListener('abort', onAbort);
				if (warnings) resolve(warnings);
				else reject(error);
			};
			const onMessage = (reply: WalkPartReply) => {
				if ('warnings' in reply) {
					this.parts++;
					settle(undefined, reply.warnings);
				} else settle(new Error(reply.error));
			};
			const onError = (error: Error) => this.fail(() => settle(error));
			const onExit = (code: number) => this.fail(() => settle(new Error(`the walk worker exited with code ${code}`)));
			const onAbort = () => this.fail(() => settle(signal!.reason));
			worker.on('message', onMessage);
			worker.once('error', onError);
			worker.once('exit', onExit);
			if (signal?.aborted) onAbort();
			else signal?.addEventListener('abort', onAbort, {once: true});
			worker.postMessage(job);
		});
	}

	get usable(): boolean {
		return !this.broken;
	}

	async close(): Promise<void> {
		this.broken = true;
		await this.worker?.terminate();
		this.worker = undefined;
	}

	private fail(then: () => void): void {
		this.broken = true;
		void this.worker?.terminate();
		this.worker = undefined;
		then();
	}

	private start(): Worker {
		if (this.broken) throw new Error('the walk worker is not available');
		if (!this.worker) {
			this.worker = newWorker('walk-worker');
			this.worker.unref(); // Never what keeps the process alive.
		}
		return this.worker;
	}
}
